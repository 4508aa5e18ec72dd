"""The web app's routers, one per page family; each page sits beside its JSON twin."""
