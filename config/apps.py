from django.contrib.admin.apps import AdminConfig


class PlenaryAdminConfig(AdminConfig):
    default_site = "config.admin_site.PlenaryAdminSite"

    def ready(self) -> None:
        super().ready()
        # The public pages' cache versions are bumped by signals of every
        # app's public content: connected here, in every process (web, worker, beat).
        from . import public_cache

        public_cache.connect()
