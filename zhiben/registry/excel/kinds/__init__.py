"""The importable/exportable kinds, by their URL code."""

from __future__ import annotations

from zhiben.core.errors import NotFound
from zhiben.registry.excel.kinds.base import Kind
from zhiben.registry.excel.kinds.certificates import CertificateKindSpec
from zhiben.registry.excel.kinds.enterprises import EnterpriseKind
from zhiben.registry.excel.kinds.persons import PersonKind
from zhiben.registry.excel.kinds.projects import ProjectKind

KINDS: dict[str, Kind] = {k.code: k for k in (EnterpriseKind(), ProjectKind(), PersonKind(), CertificateKindSpec())}


def get_kind(code: str) -> Kind:
    try:
        return KINDS[code]
    except KeyError:
        raise NotFound() from None


__all__ = ["KINDS", "Kind", "get_kind"]
