from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from accounts.forms import EmailLoginForm
from accounts.roles import Roles


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = EmailLoginForm
    redirect_authenticated_user = True


@login_required
def home(request):
    """Send each person to where their work is."""
    roles = Roles.for_user(request.user)
    if roles.is_front_door:
        return redirect("front_door_queue")
    if roles.holds_case_role:
        return redirect("referral_list")
    return render(request, "accounts/home.html")
