from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import AuthenticationForm


class EmailLoginForm(AuthenticationForm):
    username = forms.EmailField(
        label="Email address",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password"},
    )
    error_messages = {
        "invalid_login": "Enter a correct email address and password",
        "inactive": "This account is inactive",
    }


NEW_PASSWORD_HINT = (
    "Use at least 12 characters. A few unrelated words together are easy to remember and "
    "hard to guess. Do not use a password you use anywhere else."
)


def _govuk_new_password_fields(form):
    """GOV.UK labels and messages for the new password and its confirmation."""
    new, again = form.fields["new_password1"], form.fields["new_password2"]
    new.label, new.help_text = "New password", NEW_PASSWORD_HINT
    new.error_messages["required"] = "Enter a new password"
    again.label = "Confirm new password"
    again.error_messages["required"] = "Confirm your new password"
    for field in (new, again):
        field.widget.attrs["autocomplete"] = "new-password"
    form.error_messages = {**form.error_messages, "password_mismatch": "The passwords do not match"}


class _NewPasswordFirst:
    """A refused new password is an error at the new password (the first field), where the
    person types it, not at its confirmation."""

    def clean(self):
        self.validate_passwords("new_password1", "new_password2")
        self.validate_password_for_user(self.user, "new_password1")
        return forms.Form.clean(self)


class PasswordChangeForm(_NewPasswordFirst, auth_forms.PasswordChangeForm):
    error_messages = {
        **auth_forms.PasswordChangeForm.error_messages,
        "password_incorrect": "Your current password is not correct",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = self.fields["old_password"]
        current.label = "Current password"
        current.error_messages["required"] = "Enter your current password"
        current.widget.attrs.pop("autofocus", None)
        _govuk_new_password_fields(self)


class SetPasswordForm(_NewPasswordFirst, auth_forms.SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _govuk_new_password_fields(self)


class PasswordResetForm(auth_forms.PasswordResetForm):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="The email address you sign in with.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
    )
