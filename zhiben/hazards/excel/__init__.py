"""Excel import of an existing hazard ledger (the bureau's older stock) and Excel export of the filtered list,
on the shared machinery of zhiben/core/excel/."""
