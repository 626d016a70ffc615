"""{% timescale authority "screening_decision" %} -> "1 working day": a clock's period as
the authority's catalogue sets it (notifications.catalogue.period_words)."""

from django import template

from notifications.catalogue import period_words

register = template.Library()


@register.simple_tag
def timescale(authority, key):
    return period_words(authority, key)
