from __future__ import annotations

from allauth.mfa.models import Authenticator
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# Asked by name: accounts sits below assemblies, which defines the rule.
ORGANISE = "assemblies.organise"


def is_organiser_or_staff(user: AbstractBaseUser | AnonymousUser) -> bool:
    if not user.is_authenticated:
        return False
    return bool(getattr(user, "is_staff", False) or user.has_perm(ORGANISE))  # type: ignore[attr-defined]


def has_totp(user: AbstractBaseUser | AnonymousUser) -> bool:
    return (
        user.is_authenticated
        and Authenticator.objects.filter(user_id=user.pk, type=Authenticator.Type.TOTP).exists()
    )


def needs_mfa_setup(user: AbstractBaseUser | AnonymousUser) -> bool:
    return is_organiser_or_staff(user) and not has_totp(user)


CLAIMED_ADDRESS_MESSAGE = _(
    "An account already uses %(email)s but has not confirmed this address, so no role can be "
    "given to it. Ask the person to log in once with a code sent to this address (which confirms "
    "it), then try again; or use another address."
)


def _verified_owner(email: str) -> AbstractBaseUser | None:
    """The account whose verified, primary address is ``email``, if any."""
    from allauth.account.models import EmailAddress

    address = (
        EmailAddress.objects.filter(email__iexact=email, verified=True, primary=True)
        .select_related("user")
        .first()
    )
    return address.user if address is not None else None


def check_email_attachable(*, email: str) -> None:
    """Refuse (ValidationError) an address that an existing account shows
    without having verified it as its primary address: roles are granted to
    addresses, and must never reach an account that merely typed one in.
    Forms call this in ``clean`` so the refusal is a plain form error."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model

    email = email.strip().lower()
    if _verified_owner(email) is not None:
        return
    User = get_user_model()
    claimed = (
        User.objects.filter(Q(email__iexact=email) | Q(username__iexact=email[:150])).exists()
        or EmailAddress.objects.filter(email__iexact=email).exists()
    )
    if claimed:
        raise ValidationError(CLAIMED_ADDRESS_MESSAGE, code="unverified_address", params={"email": email})


def ensure_user(*, email: str) -> AbstractBaseUser:
    """The account that verified this address as its primary one, or a new
    account for it (without a password: members log in by emailed code).

    Raises ValidationError when an account shows this address without having
    verified it (see ``check_email_attachable``): attaching a role there would
    hand it to whoever typed the address in."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model

    User = get_user_model()
    email = email.strip().lower()
    owner = _verified_owner(email)
    if owner is not None:
        return owner
    check_email_attachable(email=email)
    user = User.objects.create_user(username=email[:150], email=email)
    user.set_unusable_password()
    user.save(update_fields=["password"])
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
    return user
