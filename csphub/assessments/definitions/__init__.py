"""Shipped question sets (JSON). A package only so that packaging includes the JSON files."""
