from django.db import migrations, models


def _translations(verbose_name: str) -> models.JSONField:
    return models.JSONField(
        blank=True,
        default=dict,
        help_text="The same text in the assembly’s other languages; empty means the original is shown.",
        verbose_name=verbose_name,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("assemblies", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="assembly",
            name="title_translations",
            field=_translations("title in other languages"),
        ),
        migrations.AddField(
            model_name="assembly",
            name="remit_translations",
            field=_translations("remit in other languages"),
        ),
        migrations.AddField(
            model_name="assembly",
            name="description_translations",
            field=_translations("description in other languages"),
        ),
        migrations.AddField(
            model_name="assembly",
            name="contact_name",
            field=models.CharField(
                blank=True,
                help_text="Who answers questions, e.g. “Riverside Council, Democracy Team”.",
                max_length=200,
                verbose_name="contact: name",
            ),
        ),
        migrations.AddField(
            model_name="assembly",
            name="contact_email",
            field=models.EmailField(blank=True, max_length=254, verbose_name="contact: email"),
        ),
        migrations.AddField(
            model_name="assembly",
            name="contact_phone",
            field=models.CharField(blank=True, max_length=40, verbose_name="contact: phone"),
        ),
        migrations.AddField(
            model_name="assembly",
            name="contact_address",
            field=models.TextField(blank=True, verbose_name="contact: postal address"),
        ),
    ]
