from django import template

from ..forms import SignupForm

register = template.Library()


@register.simple_tag
def signup_form() -> SignupForm:
    """The small sign-up form of public pages (no query: it offers newsletters by kind)."""
    return SignupForm()
