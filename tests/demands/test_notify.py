"""The link a demand notification carries is reversed from the demand page's URL name;
an unknown name raises instead of falling back to a guessed path (issue 9)."""

import pytest
from django.test import override_settings
from django.urls import NoReverseMatch

from gongzhi.demands import notify

urlpatterns: list = []  # a URL configuration without the demands app's pages


def test_the_link_is_the_demand_page():
    assert notify.demand_url(42) == "/demands/42/"


@override_settings(ROOT_URLCONF=__name__)
def test_a_url_name_that_does_not_resolve_raises():
    with pytest.raises(NoReverseMatch):
        notify.demand_url(42)
