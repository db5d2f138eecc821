"""postwatch_salaries on invented sentences: pay said many ways, and money that is not pay."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def nlp(nlp_with):
    """The model plus the components salaries read (entities, posts) and salaries itself."""
    return nlp_with("postwatch_entities", "postwatch_posts", "postwatch_salaries")


def pay(nlp, text: str) -> list[tuple]:
    return [(s.amount_gbp, s.amount_gbp_max) for s in nlp(text)._.salaries]


def test_salary_in_thousands(nlp):
    assert pay(nlp, "The chief finance officer will be paid £140k a year.") == [(140000, None)]


def test_salary_range(nlp):
    assert pay(nlp, "The deputy chief executive post carries a salary of £100,000-£120,000.") == [(100000, 120000)]


def test_between_and_range(nlp):
    text = "The trust is advertising for a chief executive on a salary of between £180,000 and £200,000."
    assert pay(nlp, text) == [(180000, 200000)]


def test_up_to_figure(nlp):
    assert pay(nlp, "Wexmoor Health is offering up to £150,000 for a new director of strategy.") == [(150000, None)]


def test_a_year_figure(nlp):
    assert pay(nlp, "The medical director role pays £95,000 a year.") == [(95000, None)]


def test_figure_said_as_the_role_it_pays(nlp):
    assert pay(nlp, "The panel interviewed four people for the £132,500 role in May.") == [(132500, None)]


def test_paying_beside_a_contract_is_pay(nlp):
    text = "It is recruiting a director of recovery on a fixed-term contract, paying £140k."
    assert pay(nlp, text) == [(140000, None)]


def test_non_executive_pay_is_a_salary(nlp):
    assert pay(nlp, "Each non-executive director is paid £13,500 a year.") == [(13500, None)]


def test_each_listed_post_gets_its_figure(nlp):
    text = ("The posts are:\n\n• Director of estates - £118,000\n• Chief digital officer - £126,000\n"
            "• Director of nursing - £118,000")
    doc = nlp(text)
    assert [(s.amount_gbp, s.post) for s in doc._.salaries] == [
        (118000, "director of estates"), (126000, "chief digital officer"), (118000, "director of nursing")]


def test_figure_repeated_before_its_list_line_is_one_salary(nlp):
    text = ("The best-paid role offers £171,000.\n\nThe posts are:\n\n• Director of estates - £118,000\n"
            "• Chief finance officer - £171,000")
    assert sorted(pay(nlp, text)) == [(118000, None), (171000, None)]


def test_pay_grade_without_a_figure_is_no_salary(nlp):
    assert pay(nlp, "The chief executive will be paid at very senior manager level.") == []


def test_deficit_is_not_a_salary(nlp):
    assert pay(nlp, "The chief executive said the trust's deficit of £140,000 would be cleared by March.") == []


def test_budget_is_not_a_salary(nlp):
    assert pay(nlp, "The director of estates manages a budget of £250,000 a year.") == []


def test_contract_value_is_not_a_salary(nlp):
    assert pay(nlp, "The chief executive signed a contract worth £300,000 with a cleaning firm.") == []


def test_overspend_in_millions_is_not_a_salary(nlp):
    assert pay(nlp, "The chief finance officer reported an overspend of £2.3m against the pay budget.") == []


def test_threshold_is_not_a_salary(nlp):
    assert pay(nlp, "The board is advertising several senior jobs with salaries over £100,000.") == []


def test_day_rate_is_not_a_salary(nlp):
    assert pay(nlp, "The interim finance director is paid £1,150 a day through an agency.") == []


def test_monthly_pay_is_not_a_salary(nlp):
    assert pay(nlp, "The acting chair receives £6,500 a month while the search goes on.") == []


def test_pay_for_part_of_a_year_is_not_a_salary(nlp):
    text = "Ms Orme was paid £61,000 for four months as interim chief executive."
    assert pay(nlp, text) == []


def test_a_month_named_elsewhere_does_not_stop_a_yearly_salary(nlp):
    text = "Appointed six months ago, the chief executive is paid £188,000 a year."
    assert pay(nlp, text) == [(188000, None)]


def test_gap_between_two_salaries_is_not_a_salary(nlp):
    text = "His salary was £150,000, some £25,000 behind the chief executive of the neighbouring trust."
    assert pay(nlp, text) == [(150000, None)]


def test_pay_including_pension_is_not_a_salary(nlp):
    assert pay(nlp, "The medical director received £231,000 including pension contributions.") == []


def test_figure_more_than_another_is_not_a_salary(nlp):
    text = "A director at a larger trust could be earning £20,000 more, the chair said."
    assert pay(nlp, text) == []


def test_a_month_after_the_role_does_not_stop_a_salary(nlp):
    text = "The trust interviewed three candidates for the £132,500 chief nurse role last month."
    assert pay(nlp, text) == [(132500, None)]
