"""The audit log's pages: the recent log and its CSV export, for those the policy lets read it."""
