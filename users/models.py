"""Newsroom's user model.

A custom user model from day one, so fields can be added later without a painful
migration (Django's own advice). Bylines are separate (articles.Byline): wire services
and freelancers have no login.
"""

from django.contrib.auth.models import AbstractUser


class User(AbstractUser):
    def __str__(self) -> str:
        return self.get_full_name() or self.username
