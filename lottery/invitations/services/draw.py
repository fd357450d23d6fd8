"""Draw the addresses to invite, once per round, and give each a registration code."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assemblies.actors import Actor, authorise
from assemblies.audit import audit_record
from assemblies.bulk import bulk_insert
from lottery.models import CODE_ALPHABET, CODE_LENGTH, Address, Invitation, InvitationRound
from lottery.rules import MANAGE_RECRUITMENT

from .. import addresses as pure
from ..selectors import import_done, region_counts

INVITATION_COLUMNS = ("assembly_id", "round_id", "address_id", "sequence", "code")


def _parse_counts(per_region: Mapping[str, Any]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for region, value in per_region.items():
        try:
            counts[str(region)] = int(value)
        except (TypeError, ValueError) as exc:
            raise ValidationError(
                _("The count for “%(region)s” is not a whole number.") % {"region": region}
            ) from exc
    return counts


@transaction.atomic
def invitation_round_draw(
    *,
    round: InvitationRound,
    size: int | None = None,
    per_region: Mapping[str, Any] | None = None,
    seed: str | None = None,
    by: Actor,
) -> int:
    """Draw the addresses to invite, once per round, reproducibly from ``seed``.

    Addresses are taken in id order (the file's order); ``size`` positions are
    sampled without replacement with ``random.Random(seed)``, or, with
    ``per_region``, the given count in each region (regions in name order,
    one generator). Creates one Invitation per drawn address, numbered 1..N
    in file order, each with a fresh registration code. Returns N.
    """
    authorise(
        by, MANAGE_RECRUITMENT, round.assembly, _("You may not manage the recruitment of this assembly.")
    )
    locked = InvitationRound.objects.select_for_update().select_related("assembly").get(pk=round.pk)
    if locked.drawn_at is not None:
        raise ValidationError(
            _(
                "The addresses of this round were drawn on %(when)s. A round is drawn only once; "
                "start a new round to invite more addresses."
            )
            % {"when": timezone.localtime(locked.drawn_at).strftime("%d %b %Y %H:%M")}
        )
    if not import_done(locked) or locked.rows_imported == 0:
        raise ValidationError(
            _("The address file must be imported, with at least one address, before the draw.")
        )
    if (size is None) == (not per_region):
        raise ValidationError(_("Give either a total number of addresses or a number per region."))
    seed = (seed or "").strip() or secrets.token_hex(16)
    if len(seed) > 64:
        raise ValidationError(_("The seed may have at most 64 characters."))
    addresses = Address.objects.filter(round=locked).order_by("id")
    try:
        if per_region:
            if not locked.region_column:
                raise ValidationError(_("This round has no region column, so it cannot be drawn per region."))
            wanted = _parse_counts(per_region)
            available = region_counts(locked)
            picked = pure.draw_indices_per_region(seed, available, wanted)
            chosen: list[int] = []
            for region, positions in picked.items():
                ids = list(addresses.filter(region=region).values_list("id", flat=True))
                chosen.extend(ids[i] for i in positions)
            chosen.sort()
        else:
            assert size is not None
            ids = list(addresses.values_list("id", flat=True))
            chosen = [ids[i] for i in pure.draw_indices(seed, len(ids), int(size))]
    except pure.DrawError as exc:
        raise ValidationError(str(exc)) from exc
    _create_invitations(locked, chosen)
    locked.draw_seed = seed
    locked.draw_size = len(chosen)
    locked.draw_per_region = dict(wanted) if per_region else {}
    locked.drawn_at = timezone.now()
    locked.save(update_fields=["draw_seed", "draw_size", "draw_per_region", "drawn_at"])
    audit_record(
        action="lottery.addresses_drawn",
        by=by,
        assembly=locked.assembly,
        obj=locked,
        data={"size": len(chosen), "per_region": locked.draw_per_region, "seed": seed},
    )
    round.refresh_from_db()
    return len(chosen)


def _new_codes(count: int) -> list[str]:
    """``count`` distinct random codes from CODE_ALPHABET (uniform: bytes at
    or above the largest multiple of the alphabet's size are discarded)."""
    base = len(CODE_ALPHABET)
    limit = 256 - 256 % base
    codes: set[str] = set()
    while len(codes) < count:
        raw = [b for b in secrets.token_bytes((count - len(codes)) * CODE_LENGTH * 2) if b < limit]
        for i in range(0, len(raw) - CODE_LENGTH + 1, CODE_LENGTH):
            codes.add("".join(CODE_ALPHABET[b % base] for b in raw[i : i + CODE_LENGTH]))
            if len(codes) == count:
                break
    return list(codes)


def _create_invitations(round: InvitationRound, address_ids: list[int], chunk: int = 5000) -> None:
    # A unique violation from the driver itself (COPY bypasses Django's wrapping).
    integrity_errors = (IntegrityError, connection.Database.IntegrityError)  # type: ignore[attr-defined]
    for start in range(0, len(address_ids), chunk):
        part = address_ids[start : start + chunk]
        for attempt in range(5):
            codes = _new_codes(len(part))
            if Invitation.objects.filter(code__in=codes).exists():
                continue  # a collision with another round's code: about 1 in 10^4 per 5,000 codes
            rows = [
                (round.assembly_id, round.pk, address_id, start + i + 1, code)
                for i, (address_id, code) in enumerate(zip(part, codes, strict=True))
            ]
            try:
                with transaction.atomic():
                    bulk_insert(Invitation, INVITATION_COLUMNS, rows)
                break
            except integrity_errors:  # a code taken meanwhile by a concurrent draw
                if attempt == 4:
                    raise
        else:
            raise RuntimeError("Could not find unused registration codes")  # pragma: no cover
