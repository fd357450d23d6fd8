import secrets

from django.db import migrations, models

import lottery.models.invitations

ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"


def fill_confirm_codes(apps, schema_editor):
    Respondent = apps.get_model("lottery", "Respondent")
    used: set[str] = set()
    for respondent in Respondent.objects.only("pk").iterator():
        code = ""
        while not code or code in used:
            code = "".join(secrets.choice(ALPHABET) for _ in range(8))
        used.add(code)
        Respondent.objects.filter(pk=respondent.pk).update(confirm_code=code)


class Migration(migrations.Migration):
    dependencies = [
        ("lottery", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="recruitmentsettings",
            name="privacy_notice",
            field=models.TextField(
                blank=True,
                help_text=(
                    "Shown where residents consent, and on its own page. Registration cannot open without it."
                ),
                verbose_name="privacy notice",
            ),
        ),
        migrations.AddField(
            model_name="recruitmentsettings",
            name="privacy_notice_translations",
            field=models.JSONField(
                blank=True, default=dict, verbose_name="privacy notice in other languages"
            ),
        ),
        migrations.AddField(
            model_name="recruitmentsettings",
            name="registration_closes_on",
            field=models.DateField(
                blank=True,
                help_text=(
                    "Printed on the letters. Registration closes at the end of this day, when the assembly "
                    "leaves the Recruiting stage, or when the panel is drawn, whichever comes first."
                ),
                null=True,
                verbose_name="last day to register",
            ),
        ),
        migrations.AddField(
            model_name="recruitmentsettings",
            name="member_offer",
            field=models.TextField(
                blank=True,
                help_text=(
                    "Printed on the letters, e.g. “£150 for each weekend, travel, meals and childcare paid; "
                    "step-free venues and interpreters on request.”"
                ),
                verbose_name="what members receive",
            ),
        ),
        migrations.AddField(
            model_name="recruitmentsettings",
            name="member_offer_translations",
            field=models.JSONField(
                blank=True, default=dict, verbose_name="what members receive, in other languages"
            ),
        ),
        migrations.AddField(
            model_name="recruitmentsettings",
            name="letter_signatory_name",
            field=models.CharField(blank=True, max_length=120, verbose_name="letters signed by (name)"),
        ),
        migrations.AddField(
            model_name="recruitmentsettings",
            name="letter_signatory_role",
            field=models.CharField(
                blank=True,
                help_text="e.g. Chief Executive",
                max_length=200,
                verbose_name="letters signed by (role)",
            ),
        ),
        # A unique short code per respondent: added empty, filled, then made unique.
        migrations.AddField(
            model_name="respondent",
            name="confirm_code",
            field=models.CharField(editable=False, max_length=8, null=True),
        ),
        migrations.RunPython(fill_confirm_codes, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="respondent",
            name="confirm_code",
            field=models.CharField(
                default=lottery.models.invitations.new_registration_code,
                editable=False,
                max_length=8,
                unique=True,
            ),
        ),
    ]
