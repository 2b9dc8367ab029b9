"""Locust load for zhiben's API (bench/load/run_load.py runs it; see docs/performance.md, "HTTP load").

Two kinds of simulated user, each a county inspector of 141122 with its own token (bench/load/prepare.py):

- `Regulator`, a realistic working mix: hazard lists (first page, filtered, a later page), hazard details and
  histories, the campaign dashboard, the project list, and now and then a write: register a hazard, hand in its
  rectification, close it out (three POSTs through the API, as API.md describes);
- `Writer`: only that write sequence, for the concurrent-writer run on the embedded SQLite default.

Every answer is checked for its expected status; anything else (including any text "database is locked") is a
failure that locust counts per endpoint. Set LOAD_FIXTURE to the JSON written by prepare.py.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import uuid

from locust import HttpUser, between, task

with open(os.environ["LOAD_FIXTURE"], encoding="utf-8") as fixture_file:
    FIXTURE = json.load(fixture_file)
_TOKENS = itertools.cycle(FIXTURE["tokens"])


class _Inspector(HttpUser):
    abstract = True
    wait_time = between(0.2, 1.0)

    def on_start(self) -> None:
        self.client.headers["Authorization"] = f"Token {next(_TOKENS)}"
        self.client.headers["Accept"] = "application/json"

    def _get(self, url: str, name: str, **params) -> dict | None:
        with self.client.get(url, params=params, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}: {response.text[:200]}")
                return None
            return response.json()

    def _post(self, url: str, name: str, payload: dict, expected: int) -> dict | None:
        with self.client.post(url, json=payload, name=name, catch_response=True) as response:
            if response.status_code != expected:
                response.failure(f"{response.status_code}: {response.text[:200]}")
                return None
            return response.json()

    def write_sequence(self) -> None:
        """Register a hazard, hand in its rectification, close it out."""
        hazard = self._post("/api/v1/hazards/", "POST hazards (create)", {
            "project": random.choice(FIXTURE["projects"]),
            "channel": "inspection",
            "level": random.choice(["general", "general", "general", "major"]),
            "description": f"负载测试：临边防护缺失 {uuid.uuid4().hex[:12]}",
            "location": f"{random.randint(1, 30)}号楼",
        }, 201)
        if hazard is None:
            return
        url = f"/api/v1/hazards/{hazard['id']}"
        if self._post(f"{url}/submit/", "POST hazards/{id}/submit", {
            "note": "已整改", "measures": "补设防护栏杆", "responsible_person": "张工",
        }, 200) is None:
            return
        self._post(f"{url}/close/", "POST hazards/{id}/close", {"note": "复查合格，予以销号"}, 200)


class Regulator(_Inspector):
    @task(8)
    def hazard_list(self) -> None:
        params = random.choice([
            {}, {"status": "open"}, {"level": "major", "status": "open", "is_overdue": "true"},
            {"page": random.randint(2, 50)}, {"is_stock": "false", "found_from": "2025-01-01"},
        ])
        self._get("/api/v1/hazards/", "GET hazards (list)", **params)

    @task(8)
    def hazard_detail(self) -> None:
        self._get(f"/api/v1/hazards/{random.choice(FIXTURE['hazards'])}/", "GET hazards/{id}")

    @task(3)
    def hazard_events(self) -> None:
        self._get(f"/api/v1/hazards/{random.choice(FIXTURE['hazards'])}/events/", "GET hazards/{id}/events")

    @task(3)
    def dashboard(self) -> None:
        self._get("/api/v1/dashboard/campaign/", "GET dashboard/campaign", region=FIXTURE["region"])

    @task(2)
    def projects(self) -> None:
        self._get("/api/v1/projects/", "GET projects (list)")

    @task(1)
    def region(self) -> None:
        self._get(f"/api/v1/regions/{FIXTURE['region']}/", "GET regions/{code}")

    @task(2)
    def write(self) -> None:
        self.write_sequence()


class Writer(_Inspector):
    wait_time = between(0.0, 0.2)

    @task
    def write(self) -> None:
        self.write_sequence()
