from django.apps import AppConfig


class ProceduresConfig(AppConfig):
    name = "tinhgon.procedures"
    verbose_name = "Thủ tục hành chính nội bộ"

    def ready(self):
        from django.db.models.signals import post_migrate

        from tinhgon.procedures import (
            inbox,  # noqa: F401  (registers its to-do sources)
            receivers,  # noqa: F401
        )
        from tinhgon.procedures.search import repair_sqlite_fts

        post_migrate.connect(repair_sqlite_fts, sender=self, dispatch_uid="procedures.repair_sqlite_fts")
