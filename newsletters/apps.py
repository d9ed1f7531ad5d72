from django.apps import AppConfig


class NewslettersConfig(AppConfig):
    name = "newsletters"
    verbose_name = "Newsletters"

    def ready(self) -> None:
        from . import receivers  # noqa: F401 -- bounces and complaints from the e-mail service
