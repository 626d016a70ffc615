from accounts.roles import Roles


def roles(request):
    return {"roles": Roles.for_user(request.user)}
