"""Scoped reads of the hazard ledger shared by the API, pages, exports and jobs."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from zhiben.hazards.models import Attachment, ExtensionRequest, Hazard, HazardEvent, Rectification


def hazards_visible_to(user) -> QuerySet[Hazard]:
    return Hazard.objects.visible_to(user)


def hazard_list(user) -> QuerySet[Hazard]:
    return hazards_visible_to(user).select_related("project", "enterprise")


def hazard_detail(user, pk: int) -> Hazard:
    return (
        hazards_visible_to(user)
        .select_related("project", "enterprise", "enterprise__principal", "enterprise__actual_controller", "region",
                        "standard_item__standard", "duplicate_of", "possible_duplicate_of", "created_by",
                        "acknowledged_by")
        .prefetch_related(
            Prefetch("events", queryset=HazardEvent.objects.order_by("seq")),
            Prefetch("attachments", queryset=Attachment.objects.order_by("uploaded_at")),
            Prefetch("rectifications", queryset=Rectification.objects.select_related("submitted_by", "reviewed_by")
                     .order_by("submitted_at")),
            Prefetch("extensions", queryset=ExtensionRequest.objects.select_related("requested_by", "decided_by")
                     .order_by("requested_at")),
        )
        .get(pk=pk)
    )


def attachments_visible_to(user) -> QuerySet[Attachment]:
    return Attachment.objects.visible_to(user)
