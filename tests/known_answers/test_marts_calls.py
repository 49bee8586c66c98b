"""Calls of the scenario company: every Mango call has two legs (the tracked line's IVR, then the manager), and
each call must be counted once (DOMAIN.md 3.6; ingestion/demo/scenario.py: the phone leads of deals A and C
and the rejected spam lead each make one inbound call on the tracked line 74951110001)."""

from __future__ import annotations


def test_a_call_with_several_legs_is_counted_once(scenario):
    with scenario.as_role("transformer").connect() as conn:
        legs, entries = conn.execute(
            "select count(*), count(distinct call_id) from staging.stg_files__call_legs"
        ).fetchone()
        calls = conn.execute(
            "select call_id, legs, direction, tracked_line, channel, client_name, is_answered, is_missed, "
            "waiting_seconds, talk_seconds, extract(epoch from answered_at - started_at)::int, manager_id "
            "from marts.fct_calls order by started_at"
        ).fetchall()
        reported = conn.execute("select sum(calls), sum(inbound_calls), sum(missed_calls) "
                                "from marts.rpt_call_metrics").fetchone()
    assert (legs, entries) == (6, 3)
    assert len(calls) == 3 and len({c[0] for c in calls}) == 3
    assert [c[1:8] for c in calls] == [
        (2, "inbound", "74951110001", "yandex_direct", "ООО «Альфа»", True, False),
        (2, "inbound", "74951110001", "yandex_direct", "ООО «Гамма»", True, False),
        (2, "inbound", "74951110001", "yandex_direct", None, True, False),  # the spam caller is nobody's client
    ]
    for *_, waiting, talk, to_answer, manager in calls:
        assert waiting == to_answer > 0  # IVR greeting and ringing until the manager picked up
        assert talk > 0 and manager is not None
    assert tuple(int(v) for v in reported) == (3, 3, 0)
