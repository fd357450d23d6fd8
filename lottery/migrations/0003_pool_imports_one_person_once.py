"""Pool imports become stored uploads checked by a job, imported once per file;
and one person is in an assembly's pool once (by email, whatever its case)."""

import django.db.models.deletion
import django.db.models.functions.text
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("assemblies", "0001_initial"),
        ("jobs", "0001_initial"),
        # Both 0002s (jobs; recruitment texts and confirm codes) were made at the
        # same time: this migration joins them.
        ("lottery", "0002_jobs"),
        ("lottery", "0002_recruitment_letters_and_confirm_code"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="PoolImport",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("file", models.FileField(blank=True, upload_to="lottery/pool-imports/")),
                ("file_name", models.CharField(max_length=255)),
                ("sha256", models.CharField(max_length=64)),
                ("dry_run", models.BooleanField(default=True, verbose_name="preview only")),
                ("report", models.JSONField(blank=True, default=dict)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "assembly",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="pool_imports",
                        to="assemblies.assembly",
                    ),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "job",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="jobs.job",
                    ),
                ),
            ],
            options={
                "verbose_name": "pool import",
                "verbose_name_plural": "pool imports",
                "ordering": ["-created_at"],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("dry_run", False)),
                        fields=("assembly", "sha256"),
                        name="one_import_per_file",
                    )
                ],
            },
        ),
        migrations.AddConstraint(
            model_name="respondent",
            constraint=models.UniqueConstraint(
                django.db.models.functions.text.Lower("email"),
                models.F("assembly"),
                condition=models.Q(("email", ""), _negated=True),
                name="one_respondent_per_email",
            ),
        ),
    ]
