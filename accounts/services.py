from __future__ import annotations

from allauth.mfa.models import Authenticator
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from assemblies.selectors import is_organiser_anywhere


def is_organiser_or_staff(user: AbstractBaseUser | AnonymousUser) -> bool:
    if not user.is_authenticated:
        return False
    return bool(getattr(user, "is_staff", False) or getattr(user, "is_superuser", False)) or (
        is_organiser_anywhere(user)
    )


def has_totp(user: AbstractBaseUser | AnonymousUser) -> bool:
    return (
        user.is_authenticated
        and Authenticator.objects.filter(user_id=user.pk, type=Authenticator.Type.TOTP).exists()
    )


def needs_mfa_setup(user: AbstractBaseUser | AnonymousUser) -> bool:
    return is_organiser_or_staff(user) and not has_totp(user)


def ensure_user(*, email: str) -> AbstractBaseUser:
    """The account for this address, created (without a password: members log
    in by emailed code) when there is none yet."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model

    User = get_user_model()
    email = email.strip().lower()
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(username=email[:150], email=email)
        user.set_unusable_password()
        user.save(update_fields=["password"])
        EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
    return user
