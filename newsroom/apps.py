from django.contrib.admin.apps import AdminConfig


class NewsroomAdminConfig(AdminConfig):
    """Django's admin, with the newsroom's own site (newsroom/admin_site.py)."""

    default_site = "newsroom.admin_site.NewsroomAdminSite"
