"""The one pass that makes what an agent reads (issue 16): names, local times and no null noise together, with
the same answers the three separate passes gave, and the shortcuts it takes (names per id, instants per zone)
never mixing up two objects, two zones or a day with an instant."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from mcp_types import TextContent

from mcp_server_clockify import catalogue, localtime, results
from mcp_server_clockify.jsontext import compact
from mcp_server_clockify.names import Directory
from mcp_server_clockify.present import clean, localise, present

BERLIN, NEW_YORK = ZoneInfo("Europe/Berlin"), ZoneInfo("America/New_York")


def directory() -> Directory:
    names = Directory()
    names.learn(
        "projects",
        [
            {
                "id": "p1",
                "name": "Website",
                "clientId": "c1",
                "clientName": "Acme",
                "tasks": [{"id": "t1", "name": "UI"}],
            }
        ],
        0.0,
    )
    names.learn("tags", [{"id": "g1", "name": "meeting"}, {"id": "g2", "name": "bug"}], 0.0)
    names.learn("users", [{"id": "u1", "name": "Alex"}], 0.0)
    return names


def test_one_pass_writes_names_local_times_and_drops_noise_together() -> None:
    body = [
        {
            "id": "e1",
            "projectId": "p1",
            "taskId": "t1",
            "tagIds": ["g1", "g2"],
            "userId": "u1",
            "kioskId": None,
            "customFieldValues": [],
            "timeInterval": {"start": "2026-11-30T23:30:00Z", "end": None},
        }
    ]
    shown = present(body, names=directory(), times=True, zone=BERLIN, drop_noise=True)
    assert shown.body == [
        {
            "id": "e1",
            "projectId": "p1",
            "projectName": "Website",
            "clientName": "Acme",
            "taskId": "t1",
            "taskName": "UI",
            "tagIds": ["g1", "g2"],
            "tagNames": ["meeting", "bug"],
            "userId": "u1",
            "userName": "Alex",
            "timeInterval": {"start": "2026-12-01T00:30:00+01:00", "end": None},
        }
    ]
    assert shown.seen == {"project", "task", "tag", "user"} and shown.unknown == {}
    assert body[0]["kioskId"] is None and "projectName" not in body[0]  # the input is not changed


def test_names_remembered_per_id_still_follow_each_object() -> None:
    """The same project twice: the object with a client of its own gets no clientName from the project, the one
    without does; the same tag list with a non-string in it names nothing (and does not fail)."""
    body = [
        {"id": "a", "projectId": "p1", "tagIds": ["g1"]},
        {"id": "b", "projectId": "p1", "clientId": "c9", "tagIds": ["g1", {"odd": 1}]},
        {"id": "c", "projectId": "p1", "projectName": "Given", "tagIds": ["g1"]},
    ]
    out = present(body, names=directory()).body
    assert out[0] == {
        "id": "a",
        "projectId": "p1",
        "projectName": "Website",
        "clientName": "Acme",
        "tagIds": ["g1"],
        "tagNames": ["meeting"],
    }
    assert out[1] == {
        "id": "b",
        "projectId": "p1",
        "projectName": "Website",
        "clientId": "c9",
        "tagIds": ["g1", {"odd": 1}],
    }
    assert out[2] == {"id": "c", "projectId": "p1", "projectName": "Given", "tagIds": ["g1"], "tagNames": ["meeting"]}


def test_unknown_ids_are_reported_so_the_caller_reads_names_once() -> None:
    shown = present({"id": "x", "projectId": "p404", "tagIds": ["g1", "g404"], "userId": None}, names=directory())
    assert shown.seen == {"project", "tag"}
    assert shown.unknown == {"project": {"p404"}, "tag": {"g404"}}
    assert "projectName" not in shown.body and "tagNames" not in shown.body  # all names or none


def test_instants_remembered_per_zone_and_never_for_day_labels() -> None:
    localtime.SHOWN.clear()
    instant = "2026-12-03T23:00:00Z"
    assert localise({"start": instant}, BERLIN) == {"start": "2026-12-04T00:00:00+01:00"}
    assert localise({"start": instant}, NEW_YORK) == {"start": "2026-12-03T18:00:00-05:00"}
    assert localise({"start": instant}, BERLIN) == {"start": "2026-12-04T00:00:00+01:00"}  # from memory
    assert localise({"date": instant}, BERLIN) == {"date": "2026-12-03"}  # a day label, never shifted
    assert localise({"start": instant}, None) == {"start": instant}
    assert localise({"note": "ZZZ", "start": "2026-12-03T23:00:00.123456789Z"}, BERLIN) == {
        "note": "ZZZ",
        "start": "2026-12-04T00:00:00.123456789+01:00",
    }


def test_the_memory_of_shown_instants_stays_bounded() -> None:
    localtime.SHOWN.clear()
    for i in range(localtime.SHOWN_SIZE + 10):
        localise(f"2026-01-01T00:00:{i % 60:02d}.{i:06d}Z", BERLIN)
    assert len(localtime.SHOWN) <= localtime.SHOWN_SIZE


def test_an_objects_own_zone_wins_over_the_callers() -> None:
    body = {
        "id": "r",
        "userTimeZone": "America/New_York",
        "start": "2026-12-03T23:00:00Z",
        "inner": {"at": "2026-12-03T23:00:00Z"},
    }
    assert localise(body, BERLIN)["inner"]["at"] == "2026-12-03T18:00:00-05:00"
    assert localise({"userId": "u2", "at": "2026-12-03T23:00:00Z"}, BERLIN, {"u2": NEW_YORK}.get)["at"] == (
        "2026-12-03T18:00:00-05:00"
    )


def test_clean_keeps_the_answer_of_an_envelope() -> None:
    assert clean({"count": 0, "requests": [], "note": None}) == {"count": 0, "requests": []}
    assert clean({"id": "x", "requests": [], "end": None}) == {"id": "x", "end": None}


def test_a_long_list_is_presented_only_as_far_as_the_answer_can_show_it() -> None:
    """With a limit, the items of a list are presented in order until their JSON text passes it: the same items
    the whole pass gives, the first just over the limit, and only their ids reported (no read of tags for a tag
    that only the unshown entries carry)."""
    body = [
        {
            "id": f"e{i:03d}",
            "projectId": "p1",
            "userId": "u1",
            "kioskId": None,
            "timeInterval": {"start": "2026-11-30T23:30:00Z", "end": None},
            **({"tagIds": ["g1"]} if i >= 40 else {}),
        }
        for i in range(200)
    ]
    whole = present(body, names=directory(), times=True, zone=BERLIN, drop_noise=True)
    for limit in (500, 2_000, 2_001, 5_000):
        cut = present(body, names=directory(), times=True, zone=BERLIN, drop_noise=True, limit=limit)
        assert cut.body == whole.body[: len(cut.body)] and cut.items_in_all == 200
        assert len(compact(cut.body)) > limit >= len(compact(cut.body[:-1]))
        assert cut.seen == {"project", "user"} and "tag" in whole.seen  # entry 40 on carries a tag
    one = present(body, names=directory(), times=True, zone=BERLIN, drop_noise=True, limit=1)
    assert one.body == whole.body[:1] and one.items_in_all == 200  # (nothing fits: the cut says so, see results)
    everything = present(body, names=directory(), times=True, zone=BERLIN, drop_noise=True, limit=10**9)
    assert everything.body == whole.body and everything.items_in_all is None
    assert present([], limit=0).body == [] and present({"id": "x", "a": None}, drop_noise=True, limit=1).body == {
        "id": "x"
    }


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=12) | st.sampled_from(["2026-11-30T23:30:00Z", "p1"]),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(["id", "projectId", "tagIds", "userId", "start", "note", "end"]), inner)
    ),
    max_leaves=12,
)


@hsettings(max_examples=300, deadline=None)
@given(body=st.lists(JSON, max_size=30), limit=st.integers(min_value=1, max_value=600))
def test_stopping_at_the_limit_gives_the_same_answer_and_note_as_presenting_everything(body: Any, limit: int) -> None:
    """Whatever the list and the limit: the answer cut from the items presented up to the limit (joined from the
    texts written as they were presented) is the answer cut from the whole list presented, text and note alike."""
    op = catalogue.operation("clockify_time_tracking_get_entries")
    assert op is not None
    shown = {"names": directory(), "times": True, "zone": BERLIN, "drop_noise": True}
    whole = present(body, **shown)  # type: ignore[arg-type]
    cut = present(body, limit=limit, **shown)  # type: ignore[arg-type]
    assert cut.texts == [compact(item) for item in cut.body]
    expected = results._fit(op, whole.body, limit)
    assert results._fit(op, cut.body, limit, cut.items_in_all) == expected
    answer = results.fitted(op, None, cut.body, limit=limit, items_in_all=cut.items_in_all, texts=cut.texts)  # type: ignore[arg-type]
    assert [c.text for c in answer.content if isinstance(c, TextContent)] == [t for t in expected if t is not None]
