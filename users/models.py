"""Newsroom's user model.

A custom user model from day one, so fields can be added later without a painful
migration (Django's own advice). Bylines are separate (articles.Byline): wire services
and freelancers have no login.
"""

from django.contrib.auth.models import AbstractUser, Group
from django.db import models


class User(AbstractUser):
    def __str__(self) -> str:
        return self.get_full_name() or self.username


class RoleDescription(models.Model):
    """What a role (an auth Group) is for, in words an administrator can act on."""

    group = models.OneToOneField(Group, on_delete=models.CASCADE, related_name="role")
    description = models.TextField()

    def __str__(self) -> str:
        return self.group.name
