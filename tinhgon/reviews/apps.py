from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "tinhgon.reviews"
    verbose_name = "Rà soát, đơn giản hóa thủ tục nội bộ"

    def ready(self):
        from tinhgon.reviews import (
            inbox,  # noqa: F401  (registers its to-do sources)
            receivers,  # noqa: F401
        )
