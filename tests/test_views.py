"""The interactive views: sliders drive the figure and the summary, and the
static fallbacks carry the whole summary and a picture."""

from __future__ import annotations

import base64
import html
import re

import ipywidgets as widgets
import pytest

from coopcourse.models.illyrian import WORKED_EXAMPLE, FirmParameters
from coopcourse.models.mutual import MutualAssumptions, project, summary_text
from coopcourse.views import (
    IllyrianExplorer,
    MutualExplorer,
    illyrian_explorer,
    mutual_explorer,
)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def img_alt(figure_html: str) -> str:
    match = re.search(r'<img src="data:image/png;base64,[A-Za-z0-9+/=]+" alt="([^"]*)"/>',
                      figure_html)
    assert match, "the figure must be an <img> with a data URL and alt text"
    return html.unescape(match.group(1))


def check_structure(view) -> None:
    assert isinstance(view, widgets.VBox)
    assert "coopcourse-model" in view._dom_classes
    assert "coopcourse-model-figure" in view.figure._dom_classes
    assert "coopcourse-model-summary" in view.summary._dom_classes
    assert not any(isinstance(child, widgets.Output) for child in view.children)
    for slider in view.sliders.values():
        assert len(slider.description) > 8  # an accessible name, not a symbol
    assert view.png.startswith(PNG_SIGNATURE)
    assert img_alt(view.figure.value)
    assert html.unescape(view.summary.value).count(view.summary_text) == 1


def check_fallbacks(view) -> None:
    assert repr(view) == view.summary_text
    assert len(repr(view)) > 110  # longer than ipywidgets' own cut-off
    bundle = view._repr_mimebundle_()
    assert bundle["text/plain"] == view.summary_text
    assert base64.b64decode(bundle["image/png"]) == view.png
    assert "application/vnd.jupyter.widget-view+json" in bundle


# -- the firm explorer ---------------------------------------------------------------

def test_illyrian_explorer_starts_with_the_worked_example():
    view = illyrian_explorer()
    assert isinstance(view, IllyrianExplorer)
    check_structure(view)
    check_fallbacks(view)
    assert view.summary_text.startswith(
        "At a price of £3.00 the profit-maximising firm employs 14.06 workers and the "
        "co-operative 11.11; the co-operative employs fewer because income per member "
        "(£4.50) exceeds the wage (£4.00)."
    )
    assert "crossover price of £2.83" in view.summary_text
    assert view.summary_text in img_alt(view.figure.value)


def test_moving_the_price_slider_updates_figure_and_summary():
    view = illyrian_explorer()
    before_text, before_png, before_html = view.summary_text, view.png, view.figure.value
    view.sliders["price"].value = 2.0
    assert view.summary_text != before_text
    assert "At a price of £2.00" in view.summary_text
    assert "6.25 workers and the co-operative 25.00" in view.summary_text
    assert "employs more because income per member (£2.00) is below the wage" in view.summary_text
    assert view.png != before_png and view.figure.value != before_html
    assert "£2.00" in html.unescape(view.summary.value)
    check_fallbacks(view)


def test_other_sliders_feed_the_model():
    view = illyrian_explorer()
    view.sliders["wage"].value = 5.0
    # crossover: L = 0.5*50/(0.5*5) = 10, p = 5*sqrt(10)/5
    assert "crossover price of £3.16" in view.summary_text
    view.sliders["fixed_cost"].value = 100.0
    view.sliders["elasticity"].value = 0.6
    assert view.values == {"price": 3.0, "fixed_cost": 100.0, "wage": 5.0, "elasticity": 0.6}
    assert view.firm == FirmParameters(productivity=10.0, elasticity=0.6, fixed_cost=100.0,
                                       wage=5.0)


def test_illyrian_explorer_at_the_crossover_says_they_are_equal():
    view = illyrian_explorer(price=4 * 12.5**0.5 / 5)
    assert "employ the same number" in view.summary_text


def test_illyrian_explorer_uses_the_given_firm_and_keeps_its_productivity():
    firm = FirmParameters(productivity=20.0, elasticity=0.5, fixed_cost=50.0, wage=4.0)
    view = illyrian_explorer(price=3.0, firm=firm)
    assert view.values == {"price": 3.0, "fixed_cost": 50.0, "wage": 4.0, "elasticity": 0.5}
    # L* = (0.5*3*20/4)^2 = 56.25; L** = (50/(0.5*3*20))^2 = 2.78 (to 2 places)
    assert "employs 56.25 workers and the co-operative 2.78" in view.summary_text
    view.sliders["wage"].value = 5.0
    assert view.firm.productivity == 20.0 and view.firm.wage == 5.0
    assert illyrian_explorer().firm == WORKED_EXAMPLE


def test_illyrian_explorer_rejects_impossible_settings():
    with pytest.raises(ValueError, match="fixed_cost"):
        illyrian_explorer(firm=FirmParameters(fixed_cost=0.0))
    with pytest.raises(ValueError, match="price"):
        illyrian_explorer(price=-1.0)
    with pytest.raises(TypeError, match="FirmParameters"):
        illyrian_explorer(3.0, {"fixed_cost": 50.0})


# -- the mutual explorer -------------------------------------------------------------

def test_mutual_explorer_starts_from_the_default_projection():
    view = mutual_explorer()
    assert isinstance(view, MutualExplorer)
    check_structure(view)
    check_fallbacks(view)
    assert view.summary_text == summary_text(project(MutualAssumptions()))


def test_moving_a_mutual_slider_updates_figure_and_summary():
    view = mutual_explorer()
    before_text, before_png = view.summary_text, view.png
    view.sliders["rival_recruit_pay_cut"].value = 0.15
    assert view.summary_text != before_text
    assert "loses the contract at the retender in year 5" in view.summary_text
    assert view.png != before_png
    assert view.summary_text in img_alt(view.figure.value)


def test_the_fair_deal_switch_changes_the_retender():
    view = mutual_explorer()
    assert view.sliders["fair_deal"].value is True
    view.sliders["fair_deal"].value = False
    assert view.assumptions.fair_deal is False
    assert view.summary_text == summary_text(project(MutualAssumptions(fair_deal=False)))
    assert "loses the contract" in view.summary_text


def test_mutual_explorer_uses_given_assumptions():
    assumptions = MutualAssumptions(annual_turnover=0.0, years=6, contract_term=3,
                                    fair_deal=False)
    view = mutual_explorer(assumptions)
    assert view.sliders["annual_turnover"].value == 0.0
    assert "After 3 years 100% of staff" in view.summary_text  # lost at year 3
    with pytest.raises(TypeError, match="MutualAssumptions"):
        mutual_explorer({"staff": 10})


def test_labelled_slider_clamps_formats_and_refuses_unknown_formats():
    import pytest
    import traitlets

    from coopcourse.views.labelled_slider import LabelledSlider

    control = LabelledSlider(description="Turnover", min=0.0, max=0.3, step=0.01,
                          readout_format=".0%")
    control.value = 0.5
    assert control.value == 0.3
    assert control.readout == "30%"
    with pytest.raises(traitlets.TraitError, match="readout_format"):
        control.readout_format = "{:,}"
