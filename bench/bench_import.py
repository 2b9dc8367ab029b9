"""Import a real-world-style hazard ledger of N rows (default 100,000) end to end and print the time it takes.

The workbook is what a county keeps in its own spreadsheet, not our template: a merged title row, a date line,
synonym headers (序号, 工程名称, 隐患内容, 整改时限, 销号时间 …) and dates in every form users type (real date
cells, 2024年3月5日, 2024.3.5, 2024/3/5, 2024-3-5, Excel serial numbers).

    # embedded default (a fresh SQLite database under a temporary directory; migrate and load_demo run first)
    .venv/bin/python bench/bench_import.py --rows 100000
    # PostgreSQL (run `migrate` and `load_demo` on that database first)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zhiben_excel .venv/bin/python bench/bench_import.py

The import runs as the page runs it (hazards.excel.jobs: upload checks, the job, streamed reading, validation,
the all-or-nothing write), inline in this process, as the demo county's regulator admin (jc_admin).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

HEADERS = ["序号", "工程名称", "隐患来源", "隐患级别", "隐患内容", "隐患部位", "检查日期", "整改时限", "整改情况",
           "销号时间", "备注"]
PLACES = ["塔吊", "脚手架", "基坑", "临边", "施工电梯", "配电箱", "模板支撑", "卸料平台"]
PROBLEMS = ["防护栏杆缺失", "附着装置未按方案设置", "连墙件数量不足", "监测数据超预警值", "安全装置失效",
            "漏电保护器失灵", "立杆基础积水", "限位装置损坏"]


def date_forms(day: dt.date, n: int):
    """One of the forms users write a date in, in turn."""
    from openpyxl.utils.datetime import to_excel

    form = n % 6
    if form == 0:
        return day  # a real date cell
    if form == 1:
        return f"{day.year}年{day.month}月{day.day}日"
    if form == 2:
        return f"{day.year}.{day.month}.{day.day}"
    if form == 3:
        return f"{day.year}/{day.month}/{day.day}"
    if form == 4:
        return f"{day.year}-{day.month}-{day.day}"
    return int(to_excel(day))  # a serial number (a date column formatted as General)


def workbook(rows: int, projects: list[str], today: dt.date, tag: str = "") -> bytes:
    """The ledger as .xlsx bytes (write-only: the rows are streamed, never all in memory)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("隐患台账")
    ws.merged_cells.ranges.add("A1:K1") if hasattr(ws, "merged_cells") else None
    title = WriteOnlyCell(ws, value="交城县建筑工地重大事故隐患排查整治台账（2023—2025年）")
    title.font = Font(bold=True, size=16)
    ws.append([title])
    ws.append(["填报单位：交城县住房和城乡建设管理局", None, None, None, None, None, None, None, "填报日期：",
               today.isoformat()])
    ws.append(HEADERS)
    start = today - dt.timedelta(days=3 * 365)
    for n in range(rows):
        found = start + dt.timedelta(days=n % 1000)
        deadline = found + dt.timedelta(days=15)
        closed = n % 3 != 0 and deadline < today
        ws.append([
            n + 1, projects[n % len(projects)], ["督导检查", "企业自查", "群众举报查实", "执法检查"][n % 4],
            "重大隐患" if n % 5 == 0 else "一般隐患",
            f"{PLACES[n % len(PLACES)]}{PROBLEMS[n % len(PROBLEMS)]}（{tag}第{n + 1}条）", f"{n % 30 + 1}号楼",
            date_forms(found, n), date_forms(deadline, n + 1), "已销号" if closed else "整改中",
            date_forms(deadline - dt.timedelta(days=2), n + 2) if closed else None, "",
        ])
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--profile", action="store_true", help="print where the import's time goes")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL"):
        os.environ.setdefault("ZHIBEN_VAR_DIR", tempfile.mkdtemp(prefix="zhiben-bench-import-"))
    os.environ["IMPORT_MAX_ROWS"] = str(max(args.rows, 5000))
    os.environ.setdefault("UPLOAD_MAX_BYTES", str(200 * 1024 * 1024))

    import django

    django.setup()
    from django.conf import settings
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.db import connection

    from zhiben.accounts.models import User
    from zhiben.core.timeutils import beijing_today
    from zhiben.hazards.excel import jobs
    from zhiben.hazards.models import Hazard
    from zhiben.registry.selectors import projects_visible_to

    settings.EXCEL_IMPORT_RUNNER = "inline"
    if connection.vendor == "sqlite":
        call_command("migrate", verbosity=0)
        if not User.objects.filter(username="jc_admin").exists():
            call_command("load_demo", verbosity=0)
    actor = User.objects.get(username="jc_admin")
    names = list(projects_visible_to(actor).order_by("name").values_list("name", flat=True).distinct())
    names = [n for n in names if list(names).count(n) == 1][:20]
    started = time.perf_counter()
    content = workbook(args.rows, names, beijing_today(), tag=f"{time.time():.0f}")
    made = time.perf_counter() - started
    print(f"database: {connection.vendor}; workbook: {args.rows:,} rows, {len(content) / 2**20:.1f} MB, "
          f"made in {made:.1f} s", flush=True)

    before = Hazard.objects.count()
    started, cpu = time.perf_counter(), time.process_time()
    jobs.start_job = lambda job_id: None  # run below, in this process, where it can be timed (and profiled)
    job = jobs.import_job_create(actor=actor, upload=SimpleUploadedFile("交城县隐患台账.xlsx", content))
    if args.profile:
        import cProfile
        import pstats

        with cProfile.Profile() as profile:
            jobs.import_job_run(job.pk)
        pstats.Stats(profile).sort_stats("cumulative").print_stats(40)
    else:
        jobs.import_job_run(job.pk)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    job.refresh_from_db()
    added = Hazard.objects.count() - before
    print(f"import: {job.status}, {added:,} hazards added, {elapsed:.1f} s wall clock "
          f"({args.rows / elapsed:,.0f} rows/s), {cpu:.1f} s CPU in this process; summary {job.summary}")
    print(f"load average during the run: {os.getloadavg()[0]:.1f} (a shared machine inflates the wall clock)")
    if job.errors:
        print("first errors:", job.errors[:5])


if __name__ == "__main__":
    main()
