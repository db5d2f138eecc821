"""Schedules: the deployment `postwatch schedule` serves, as Prefect's API stores it,
and the prefect.yaml a user with a work pool deploys from."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from prefect.client.orchestration import get_client
from prefect.flows import load_flow_from_entrypoint
from prefect.schedules import Cron

from pipeline.cli import main
from pipeline.schedule import ScheduleError, crawl_deployment

ROOT = Path(__file__).resolve().parents[2]


def test_the_served_deployment_has_the_schedule_and_parameters(prefect, tmp_path):
    deployment = crawl_deployment(["https://news.example.test/"], "0 * * * *", db=str(tmp_path / "w.duckdb"),
                                  name="hourly-test")
    deployment_id = deployment.apply()
    with get_client(sync_client=True) as client:
        stored = client.read_deployment(deployment_id)
        flow = client.read_flow(stored.flow_id)
    assert (flow.name, stored.name) == ("postwatch-crawl", "hourly-test")
    assert [(s.schedule.cron, s.schedule.timezone, s.active) for s in stored.schedules] == [
        ("0 * * * *", "Europe/London", True)]
    assert stored.parameters == {"urls": ["https://news.example.test/"], "db": str(tmp_path / "w.duckdb"),
                                 "feed_path": None}


def test_a_bad_cron_is_refused_before_anything_is_served():
    with pytest.raises(ScheduleError, match=r"'every hour' is not a cron schedule; write five fields"):
        crawl_deployment(["https://news.example.test/"], "every hour", db="w.duckdb")


def test_schedule_command_with_a_bad_cron_is_one_line(tmp_path):
    result = CliRunner().invoke(main, ["schedule", "--cron", "61 * * * *", "https://news.example.test/",
                                       "--db", str(tmp_path / "w.duckdb")])
    assert result.exit_code == 1
    assert result.output == ("Error: '61 * * * *' is not a cron schedule; write five fields, "
                             "e.g. \"0 * * * *\" for hourly\n")


def test_prefect_yaml_deploys_the_crawl_flow_with_valid_parameters_and_schedule():
    spec = yaml.safe_load((ROOT / "pipeline" / "prefect.yaml").read_text())
    assert spec["deployments"], "prefect.yaml lists no deployment"
    for deployment in spec["deployments"]:
        flow = load_flow_from_entrypoint(str(ROOT / deployment["entrypoint"]))
        assert flow.name == "postwatch-crawl"
        flow.validate_parameters(deployment["parameters"])  # raises for a parameter the flow does not take
        for schedule in deployment["schedules"]:
            Cron(schedule["cron"], timezone=schedule["timezone"])
        assert deployment["work_pool"]["name"]
