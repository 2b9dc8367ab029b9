"""Excel import and export machinery shared by every app (first written for the registry, registry/excel/).

Columns are declared as data (`columns.Column`); one reader finds the header and the data rows of an uploaded
.xlsx (`reader`); one validator checks every row before anything is written and one writer writes all rows in a
single transaction or none (`importer`); `workbooks` makes templates, exports and the annotated error report;
`jobs` runs an upload in the background with progress the page polls. An app declares its `Kind`s (`kinds`) and
its concrete job model (`models.BaseImportJob`); nothing here imports a domain app.
"""
