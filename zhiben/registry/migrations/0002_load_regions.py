from django.db import migrations


def forwards(apps, schema_editor):
    from zhiben.registry.regions import load_regions

    load_regions(apps.get_model("registry", "Region"))


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
