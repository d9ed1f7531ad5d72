"""The search page: the form readers fill in, and its results 20 a page."""

from __future__ import annotations

import re
import unicodedata

from crispy_forms.bootstrap import StrictButton
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Fieldset, Layout
from django import forms
from django.conf import settings
from django.db.models import Exists, OuterRef
from django.forms.utils import flatatt
from django.urls import reverse_lazy
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.views.generic import ListView

from articles.models import Byline, Section, Story, StoryByline
from articles.search import MAX_QUERY_LENGTH, attach_snippets, search_stories

LATEST_ON_EMPTY_PAGE = 5


# --- The form -------------------------------------------------------------------------


class DatePicker(forms.DateInput):
    """A browser date picker. It only accepts YYYY-MM-DD, so other text is not echoed."""

    input_type = "date"

    def __init__(self, attrs=None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")

    def format_value(self, value):
        value = super().format_value(value)
        if isinstance(value, str) and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return None
        return value


class QuickSelect(forms.Select):
    """A <select> of (value, label) pairs written out in Python, as Django's template would.

    The writer list holds every byline with a public story, hundreds in a real
    newsroom; Django renders each option through two templates, and a model choice
    field builds a model instance for each: that was most of the search page's cost.
    """

    def render(self, name, value, attrs=None, renderer=None):
        chosen = "" if value is None else str(value)
        options = []
        for key, label in self.choices:
            if isinstance(label, (list, tuple)):  # option groups: not written here
                return super().render(name, value, attrs, renderer)
            key = "" if key is None else str(key)
            selected = " selected" if key == chosen else ""
            options.append(f'<option value="{escape(key)}"{selected}>{escape(str(label))}</option>')
        return format_html(
            '<select name="{}"{}>{}</select>',
            name,
            flatatt(self.build_attrs(self.attrs, attrs)),
            mark_safe("".join(options)),  # noqa: S308 -- every value and label escaped above
        )


class ChoiceOfModel(forms.TypedChoiceField):
    """One of a few hundred rows, offered from their ids and names (no instance each);
    the chosen one comes back as a model instance."""

    widget = QuickSelect

    def __init__(self, *, empty_label: str, **kwargs) -> None:
        self.empty_label = empty_label
        super().__init__(coerce=int, empty_value=None, **kwargs)

    def offer(self, queryset) -> None:
        self.queryset = queryset
        self.choices = [("", self.empty_label), *queryset.values_list("pk", "name")]

    def clean(self, value):
        pk = super().clean(value)
        return None if pk is None else self.queryset.get(pk=pk)


class SearchForm(forms.Form):
    """What a reader searches for, and where; every field is optional."""

    q = forms.CharField(
        label="Search for",
        required=False,
        max_length=MAX_QUERY_LENGTH,
        widget=forms.SearchInput(attrs={"placeholder": "Words from a headline or story"}),
        error_messages={
            "max_length": (
                f"That search is too long. Use a few words (at most {MAX_QUERY_LENGTH} characters)."
            ),
            "null_characters_not_allowed": (
                "That search contains characters that cannot be searched for. Type the words again."
            ),
        },
    )
    section = ChoiceOfModel(
        required=False,
        empty_label="All sections",
        error_messages={"invalid_choice": "Choose a section from the list."},
    )
    byline = ChoiceOfModel(
        label="Written by",
        required=False,
        empty_label="Anyone",
        error_messages={"invalid_choice": "Choose a name from the list."},
    )
    date_from = forms.DateField(
        label="Published on or after",
        required=False,
        widget=DatePicker(),
        error_messages={"invalid": "Enter a date such as 2024-03-31."},
    )
    date_to = forms.DateField(
        label="Published on or before",
        required=False,
        widget=DatePicker(),
        error_messages={"invalid": "Enter a date such as 2024-03-31."},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["section"].offer(Section.objects.active())
        # Only bylines with public stories.
        self.fields["byline"].offer(
            Byline.objects.filter(
                Exists(
                    StoryByline.objects.filter(
                        byline=OuterRef("pk"), story__in=Story.objects.listed()
                    )
                )
            )
        )
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_action = reverse_lazy("articles:search")
        self.helper.form_id = "search-form"
        # A GET form changes nothing, so it needs no CSRF token (and pages stay cacheable).
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Field("q"),
            Fieldset("Narrow the results", "section", "byline", "date_from", "date_to"),
            # A nameless button, so "&submit=Search" does not clutter the address.
            StrictButton("Search", type="submit", css_class="btn-primary"),
        )

    def clean_q(self) -> str:
        query = self.cleaned_data["q"]
        # Control and formatting characters can't be typed meaningfully; drop them.
        query = "".join(ch for ch in query if unicodedata.category(ch) not in {"Cc", "Cf"})
        query = " ".join(query.split())
        if query and not re.search(r"\w", query):
            raise forms.ValidationError(
                "Search for at least one word or number: punctuation alone matches nothing.",
                code="no_words",
            )
        return query

    def clean(self) -> dict:
        cleaned = super().clean()
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_from > date_to:
            self.add_error(
                "date_to", "This date is before the first date; swap them or change one."
            )
        return cleaned

    def has_criteria(self) -> bool:
        """True when the reader asked for anything: words or at least one filter."""
        return self.is_valid() and any(self.cleaned_data.values())


# --- The page -------------------------------------------------------------------------


class SearchView(ListView):
    """The search page: the form, then results 20 a page; never indexed by robots.

    An invalid search shows the form with its errors and no results, never an error
    page; an empty one shows a hint and the latest stories.
    """

    template_name = "articles/search.html"
    context_object_name = "stories"
    paginate_by = settings.NEWSROOM_STORIES_PER_PAGE

    def get(self, request, *args, **kwargs):
        # Unbound on a bare /search/, so the first visit shows no "required" errors.
        self.form = SearchForm(request.GET or None)
        self.searched = self.form.is_bound and self.form.has_criteria()
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if not self.searched:
            return Story.objects.none()
        return search_stories(**self.form.cleaned_data)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.searched:
            page = context["page_obj"]
            page.object_list = list(page.object_list)
            attach_snippets(page.object_list, self.form.cleaned_data["q"])
            context["stories"] = context["object_list"] = page.object_list
        latest = []
        if not self.searched and not self.form.errors:
            latest = Story.objects.listed().for_teasers().newest_first()[:LATEST_ON_EMPTY_PAGE]
        query = self.form.cleaned_data.get("q", "") if self.searched else ""
        context.update(
            form=self.form,
            searched=self.searched,
            query=query,
            latest_stories=latest,
            page_title=f"Search: {query}" if query else "Search",
        )
        return context
