"""The night-time economy, under /nte/. Records are addressed by UUID."""

app_name = "nte"
urlpatterns: list = []
