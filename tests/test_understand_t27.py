"""Understanding typed questions, session 13 (helper t27): the classes of identity and who misses fixed in
the whole tuning part, one test each, with sentences written for the test (not copied from the data)."""

from __future__ import annotations

import pytest

from bot.catalog.catalog import Catalog
from tests.helpers.understood import fields_of


@pytest.mark.parametrize(
    "text",
    [
        # 本人 as a requirement names nobody (convention 23)
        ("补缴医保必须本人去办吗"),
        ("医保参保登记需要本人到场不"),
        ("交新农合得本人亲自去吗"),
        ("要本人带身份证过去吗"),
    ],
)
def test_in_person_as_a_requirement_names_nobody(catalog: Catalog, text: str) -> None:
    assert fields_of(text, catalog, ("who",)) == {"who": ()}


@pytest.mark.parametrize(
    ("text", "who"),
    [
        # the user named as 本人 still is the user; another person's presence names that person
        ("本人灵活就业 医保怎么交", ("self",)),
        ("给我爸交医保要他本人到场吗", ("parent",)),
    ],
)
def test_the_user_named_as_oneself_still_counts(catalog: Catalog, text: str, who: tuple[str, ...]) -> None:
    assert fields_of(text, catalog, ("who",)) == {"who": who}


@pytest.mark.parametrize(
    ("text", "who"),
    [
        # a spouse told as background before the user names themselves with another (我和孩子) is not
        # insured: the user and the other are (convention 23, as with 我自己)
        ("老婆在厂里上班有社保 我跟女儿在老家 医保怎么交", ("self", "child")),
        ("我爱人是老师 单位给交 我和儿子的医保在哪交", ("self", "child")),
        ("丈夫常年在外打工 我和两个娃在村里 新农合多少钱", ("self", "child")),
    ],
)
def test_a_spouse_told_before_the_user_and_another_is_background(
    catalog: Catalog, text: str, who: tuple[str, ...]
) -> None:
    assert fields_of(text, catalog, ("who",)) == {"who": who}


@pytest.mark.parametrize(
    ("text", "who"),
    [
        # persons merely listed, each its own clause, stay insured; a spouse joined to the user stays too
        ("一家四口 爸妈 我和媳妇 医保一共多少钱", ("parent", "self", "spouse")),
        ("我和老公都是灵活就业 医保怎么交", ("self", "spouse")),
    ],
)
def test_listed_persons_and_joined_spouse_stay(catalog: Catalog, text: str, who: tuple[str, ...]) -> None:
    assert fields_of(text, catalog, ("who",)) == {"who": who}


@pytest.mark.parametrize(
    "text",
    [
        # tea farming, a herding area and a rural registration said outright are rural (convention 3)
        ("我爸妈在山上种茶 医保一年交多少"),
        ("我们是茶农 医保在哪交"),
        ("牧区的老人医保怎么交"),
        ("农业户口 医保交哪种"),
    ],
)
def test_farming_herding_and_a_rural_registration_are_resident(catalog: Catalog, text: str) -> None:
    assert fields_of(text, catalog, ("identity",)) == {"identity": "resident"}


@pytest.mark.parametrize(
    "text",
    [
        # a town registration and other places' registrations say nothing of the scheme
        ("非农业户口 医保怎么交"),
        ("城里户口交医保去哪"),
        ("户口在老家 在外地能交医保吗"),
    ],
)
def test_other_registrations_give_no_identity(catalog: Catalog, text: str) -> None:
    assert fields_of(text, catalog, ("identity",)) == {"identity": None}


@pytest.mark.parametrize(
    ("text", "who"),
    [
        # a spouse told before the user states their own status outright (我是个体户) is background
        # (convention 23) …
        ("我媳妇在医院上班 有社保 我是个体户 医保怎么交", ()),
        ("老公是公务员 我是自由职业 想交医保", ()),
        # … unless a later pronoun or a pay for them points back, or the persons are only listed
        ("老婆没工作 我是个体户 给她交医保", ("spouse",)),
        ("我老公在外地打工 我是个体户 他的医保怎么交", ("spouse",)),
        ("老婆孩子 我是个体户 一家人的医保", ("spouse", "child")),
    ],
)
def test_a_spouse_told_before_the_users_own_status_is_background(
    catalog: Catalog, text: str, who: tuple[str, ...]
) -> None:
    assert fields_of(text, catalog, ("who",)) == {"who": who}


@pytest.mark.parametrize(
    "text",
    [
        # a school's insurance named after the studies ended (毕业了) is the ended status too: both schemes are
        # open (convention 2), no identity and no student
        ("研究生毕业了 学校的医保年底到期 之后咋交"),
        ("刚毕业 之前的大学生医保停了 在哪交"),
        ("毕业以后学生医保就没了吧 我现在该交哪种"),
    ],
)
def test_a_schools_insurance_after_graduating_has_ended(catalog: Catalog, text: str) -> None:
    assert fields_of(text, catalog, ("identity", "who")) == {"identity": None, "who": ()}


@pytest.mark.parametrize(
    ("text", "identity", "who"),
    [
        # a child who graduated is still paid for as a child; a student now is a student
        ("女儿刚毕业 学校的医保停了 给她交哪个", "resident", ("child",)),
        ("我是大学生 在学校交医保", "resident", ("student",)),
    ],
)
def test_a_child_or_a_student_now_keeps_resident(
    catalog: Catalog, text: str, identity: str, who: tuple[str, ...]
) -> None:
    assert fields_of(text, catalog, ("identity", "who")) == {"identity": identity, "who": who}
