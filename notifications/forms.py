from django import forms
from django.utils.translation import gettext_lazy as _

from .models import EventType, WebhookSubscription
from .services.egress import validate_url


class SubscriptionForm(forms.ModelForm):
    url = forms.URLField(
        label=_("URL"),
        max_length=500,
        assume_scheme="https",
        validators=[validate_url],
        help_text=_("https only; the address must be reachable on the public network."),
    )
    event_types = forms.MultipleChoiceField(
        label=_("event types"), choices=EventType.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = WebhookSubscription
        fields = ["authority", "url", "secret", "event_types", "active"]
