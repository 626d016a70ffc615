from accounts.roles import Roles
from casework import pathways


def pathway_navigation(request):
    """The navigation entries of the installed pathway apps that this person has."""
    if not request.user.is_authenticated:
        return {"pathway_nav": []}
    return {"pathway_nav": pathways.navigation(Roles.for_user(request.user))}
