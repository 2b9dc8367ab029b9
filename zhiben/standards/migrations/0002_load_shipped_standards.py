from django.db import migrations


def forwards(apps, schema_editor):
    from zhiben.standards.loader import load_standard_files

    load_standard_files(apps.get_model("standards", "Standard"), apps.get_model("standards", "StandardItem"))


class Migration(migrations.Migration):
    dependencies = [("standards", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
