"""Postal address extraction from small HTML snippets."""

from __future__ import annotations

import time

import pytest

from siteaudit.extract.addresses import extract_addresses
from siteaudit.extract.text import parse_html, segment
from siteaudit.model import Segment


def addresses(html: str):
    return extract_addresses(segment(parse_html(f"<html><body>{html}</body></html>")))


def only(html: str):
    found = addresses(html)
    assert len(found) == 1, [f.value for f in found]
    return found[0]


def keys(html: str) -> set[tuple]:
    return {(f.data["number"], f.data["zip"]) for f in addresses(html)}


# --- one line -------------------------------------------------------------

def test_one_line_with_suite_and_zip4():
    f = only("<p>1 Pemberton Square, Suite 2500, Boston, MA 02108-1750</p>")
    assert f.kind == "address" and f.source == "text"
    assert f.value == "1 Pemberton Square, Suite 2500, Boston, MA 02108-1750"
    assert f.data == {"number": "1", "street": "1 Pemberton Square", "unit": "Suite 2500", "city": "Boston",
                      "state": "MA", "zip": "02108", "plus4": "1750", "kind": "unknown"}
    assert f.text == "1 Pemberton Square, Suite 2500, Boston, MA 02108-1750"


@pytest.mark.parametrize("html, street", [
    ("<p>Sacramento Valley Station, Suite 120<br>401 I Street<br>Sacramento, CA 95814</p>", "401 I Street"),
    ("<p>1100 K St NW<br>Washington, DC 20005</p>", "1100 K St NW"),
])
def test_one_letter_street_names(html, street):
    assert only(html).data["street"] == street


def test_spelled_out_number_and_no_comma_before_state():
    f = only("<p>One Commerce Plaza, Suite 1750, Albany NY 12210</p>")
    assert f.data["number"] == "1"
    assert f.data["street"] == "One Commerce Plaza"
    assert (f.data["city"], f.data["state"], f.data["zip"]) == ("Albany", "NY", "12210")


def test_spelled_out_state():
    f = only("<p>Ally Detroit Center 500 Woodward Ave., Suite 3000 Detroit, Michigan 48226</p>")
    assert f.data["number"] == "500"
    assert f.data["state"] == "MI"
    assert f.data["city"] == "Detroit"
    assert f.value.endswith("Detroit, MI 48226")


def test_city_without_comma_after_street_uses_usaddress():
    f = only("<p>150 West 85th Street New York, NY 10024 (212) 580-0210</p>")
    assert f.data["street"] == "150 West 85th Street"
    assert f.data["city"] == "New York"


def test_inline_in_a_sentence_skips_unit_numbers():
    f = only("<p>Meetings are held at the City of Chicago Board of Ethics. "
             "740 N. Sedgwick, Ste. 500, Chicago, IL 60654-8488</p>")
    assert f.data["number"] == "740"
    assert f.data["unit"] == "Ste. 500"
    assert f.data["plus4"] == "8488"
    assert f.data["kind"] == "physical"


def test_sentence_with_date_and_district_number_before_the_street():
    f = only("<p>The Board of Trustees of Community College District No. 508 will meet on Thursday, "
             "February 7, 2019 at Harold Washington College, 30 East Lake Street, 11th Floor, Room 1115, "
             "Chicago, Illinois 60601.</p>")
    assert f.data["number"] == "30"
    assert f.data["unit"] == "11th Floor, Room 1115"
    assert f.data["kind"] == "physical"


def test_two_addresses_on_one_line():
    assert keys("<p>Chicago: 100 W. Randolph St, Chicago, IL 60601; "
                "Springfield: 2329 S. MacArthur Blvd., Springfield, IL 62704</p>") == {
        ("100", "60601"), ("2329", "62704")}


# --- several lines ---------------------------------------------------------

def test_address_element_with_br():
    f = only("<address>Ally Detroit Center<br>500 Woodward Ave., Suite 3000<br>Detroit, MI 48226</address>")
    assert f.value == "500 Woodward Ave., Suite 3000, Detroit, MI 48226"
    assert f.text == "500 Woodward Ave., Suite 3000 / Detroit, MI 48226"
    assert f.path.endswith("address")
    assert f.line == 1


def test_list_items():
    f = only("<ul><li>Opinion Unit, Dept. of Justice</li><li>300 South Spring Street</li>"
             "<li>Los Angeles, CA 90013</li></ul>")
    assert (f.data["number"], f.data["street"], f.data["city"]) == ("300", "300 South Spring Street", "Los Angeles")
    assert f.path.endswith("li:nth-of-type(2)")  # points at the street line


def test_table_cells():
    f = only("<table><tr><td>Address:</td><td>Room 516, City Hall, 601 Lakeside Avenue,</td></tr>"
             "<tr><td></td><td>Cleveland, Ohio 44114</td></tr></table>")
    assert f.data["number"] == "601"
    assert f.data["unit"] == "Room 516"
    assert f.data["state"] == "OH"


def test_unit_on_its_own_line_and_zip_on_its_own_line():
    f = only("<p>30 East Lake Street<br>11th Floor<br>Chicago, IL<br>60601</p>")
    assert f.data["number"] == "30"
    assert f.data["unit"] == "11th Floor"
    assert f.data["zip"] == "60601"
    assert f.text == "30 East Lake Street / 11th Floor / Chicago, IL 60601"


def test_unit_line_above_the_street():
    f = only("<p>City Hall Room 516<br>601 Lakeside Ave.<br>Cleveland, OH 44114</p>")
    assert f.data["unit"] == "City Hall Room 516"


def test_street_without_suffix():
    f = only("<p>180 N. Wabash<br>Chicago, IL 60601</p>")
    assert f.data["street"] == "180 N. Wabash"


def test_trailing_comma_and_country():
    f = only("<p>3311 Perkins Ave,<br>Suite #100,<br>Cleveland, OH 44114,<br>United States</p>")
    assert (f.data["number"], f.data["unit"], f.data["zip"]) == ("3311", "Suite #100", "44114")


def test_building_name_instead_of_number():
    f = only("<p>Office of the New York State Attorney General<br>The Capitol<br>Albany NY 12224-0341</p>")
    assert f.data["number"] is None
    assert f.data["street"] == "The Capitol"
    assert f.data["plus4"] == "0341"


# --- PO boxes and kinds ----------------------------------------------------

def test_po_box_is_mailing():
    f = only("<p>Administrative Office of the Courts<br>P.O. Box 4820<br>Portland, ME 04112-0792</p>")
    assert f.data["number"] == "4820"
    assert f.data["street"] == "P.O. Box 4820"
    assert f.data["kind"] == "mailing"


@pytest.mark.parametrize("box", ["PO Box 12248", "P. O. Box 12248", "Post Office Box 12248", "P.O. Box #12248"])
def test_po_box_spellings(box):
    f = only(f"<p>{box}<br>Austin, Texas 78711</p>")
    assert f.data["number"] == "12248"
    assert f.data["zip"] == "78711"  # the 5-digit box number is not taken for the ZIP


def test_labels_decide_the_kind():
    found = addresses(
        "<h3>Physical Address</h3><p>Supreme Court Building<br>201 W. 14th Street, Room 104<br>Austin, Texas 78701</p>"
        "<h3>Mailing Address</h3><p>Supreme Court of Texas<br>PO Box 12248<br>Austin, Texas 78711</p>")
    kinds = {f.data["number"]: (f.data["kind"], f.label) for f in found}
    assert kinds == {"201": ("physical", "Physical Address"), "12248": ("mailing", "Mailing Address")}


@pytest.mark.parametrize("label", ["Visit us", "Location", "Chicago Office", "Walk-in service center",
                                   "Where to Report", "Physical &amp; mailing address",
                                   "Our Chicago office is located at"])
def test_physical_labels(label):
    assert only(f"<p>{label}</p><p>100 W. Randolph St, Suite 7-801<br>Chicago, IL 60601</p>").data["kind"] == "physical"


def test_mail_to_in_a_sentence_is_mailing_but_email_is_not():
    assert only("<p>Send corrections by U.S. Mail to Clerk of the Law Court, 205 Newbury Street, Room 139, "
                "Portland, ME 04101-4125</p>").data["kind"] == "mailing"
    assert only("<p>E-mail the Bureau</p><p>One Commerce Plaza, Suite 1750, Albany NY 12210</p>"
                ).data["kind"] == "unknown"


def test_a_table_of_offices_is_a_list_of_places():
    html = ("<h3>Field offices</h3><table><caption>Field office locations</caption>"
            "<tr><th>Office</th><th>Address</th></tr>"
            "<tr><td>Portland</td><td>800 NE Oregon St, Suite 505<br>Portland, OR 97232</td></tr>"
            "<tr><td>Eugene</td><td>1600 Valley River Dr, Suite 310<br>Eugene, OR 97401</td></tr></table>")
    assert [f.data["kind"] for f in addresses(html)] == ["physical", "physical"]


def test_a_school_named_over_its_address_is_a_place_to_visit():
    html = ('<main><h2>Our schools</h2><div class="card"><h3>Alder Creek Elementary School</h3>'
            '<p>1450 Alder Creek Rd.<br>Brennan, WI 53091</p><p>Phone: 262-555-0100</p></div></main>')
    f = only(html)
    assert (f.data["kind"], f.label) == ("physical", "Alder Creek Elementary School")


@pytest.mark.parametrize("html, number", [
    ("<p>W2860 County Road H<br>Elmore, WI 53065</p>", "2860"),
    ("<p>N1234 Oak Ln<br>Elmore, WI 53065</p>", "1234"),
])
def test_rural_grid_house_numbers(html, number):
    assert only(html).data["number"] == number


def test_a_letter_before_a_number_is_no_house_number_without_a_road():
    assert addresses("<p>Wear N100 Masks at the site, Salem, OR 97301</p>") == []


def test_po_drawer_is_a_mailing_address():
    f = only("<p>P.O. Drawer 1290<br>Salem, OR 97309-1290</p>")
    assert (f.data["kind"], f.data["number"], f.data["zip"]) == ("mailing", "1290", "97309")


def test_map_link_means_physical():
    f = only('<p>1 E. 78th Street<br>New York, NY 10075</p>'
             '<p><a href="https://maps.google.com/?q=1+E+78th">Directions</a></p>')
    assert f.data["kind"] == "physical"


def test_unlabelled_footer_block_is_unknown():
    assert only("<footer><p>Chicago Public Library<br>400 S. State Street<br>Chicago, IL 60605</p></footer>"
                ).data["kind"] == "unknown"


def test_same_address_shares_the_labelled_kind_across_the_page():
    found = addresses("<p>Meeting Location: 500 Woodward Ave., Suite 3000 Detroit, MI 48226</p>"
                      "<footer>500 Woodward Ave., Suite 3000<br>Detroit, Michigan 48226</footer>")
    assert [f.data["kind"] for f in found] == ["physical", "physical"]


# --- not addresses -----------------------------------------------------------

@pytest.mark.parametrize("html", [
    "<p>Senate Bill No. 1439 (amending Government Code section 84308) applies.</p>",
    "<p>Doe v. Sex Offender Registry Board (SJC 13736) (September 11, 2025)</p>",
    "<p>2023 NY Slip Op 51345(U), 1125 Morris Ave. Realty LLC v. Smith</p>",
    "<p>Minn. Stat. §§ 471.59, 473.399 473.3997 (1990)</p>",
    "<p>The hearing is in Room 514, City Hall.</p>",
    "<p>South Branch Library, 3096 Scranton Rd.</p>",
    "<p>St. Mel's Catholic Church - 14436 Triskett</p>",
    "<p>Lower court numbers 01-20-00055-CV, 14-22-00906-CV; U.S. Fifth Circuit 23-10072</p>",
    "<p>Epson Expression 11000XL &amp; 10000XL scanners</p>",
    "<p>Find by address or ZIP code</p>",
    "<p>Chicago, IL 60601</p>",
    "<p>Suite 300<br>Springfield, IL 62702</p>",
    "<p>Call (217) 782-4141 or fax 217.524.1911</p>",
    "<p>Case 2024 OK 52, 120246 decided 06/25/2024</p>",
    "<p>Section 26308(a)(4) and 36513(b) of the code, IN 46204 records</p>",
])
def test_distractors(html):
    assert addresses(html) == []


def test_far_away_street_is_not_joined_to_a_locality():
    html = ("<p>123 Main Street</p><p>a</p><p>b</p><p>c</p><p>d</p><p>e</p><p>Springfield, IL 62701</p>")
    assert addresses(html) == []


def test_each_street_belongs_to_one_address():
    found = addresses("<p>100 First Street<br>Albany, NY 12210<br>Springfield, IL 62701</p>")
    assert [(f.data["number"], f.data["zip"]) for f in found] == [("100", "12210")]


def test_empty_input():
    assert extract_addresses([]) == []


def test_large_adversarial_input_is_linear():
    text = "".join("0123456789-:/ .,"[(i * 7919) % 16] for i in range(1_000_000))
    streets = "123 Main St " * 50_000 + " Chicago, IL 60601"
    start = time.perf_counter()
    extract_addresses([Segment(text=text, path="p"), Segment(text=streets, path="p")])
    extract_addresses([Segment(text=text[i:i + 200], path="p") for i in range(0, len(text), 200)])
    assert time.perf_counter() - start < 5  # generous: guards against backtracking, not a benchmark


def test_dc_with_periods_and_hyphenated_queens_number():
    assert only("<p>1600 Pennsylvania Avenue NW<br>Washington, D.C. 20500</p>").data["state"] == "DC"
    f = only("<p>123-45 Queens Blvd, Kew Gardens, NY 11415</p>")
    assert (f.data["number"], f.data["city"]) == ("123", "Kew Gardens")


def test_sentence_words_stay_out_of_street_city_and_unit():
    f = only("<p>Located at 1234 N. Main St. in Springfield, IL 62701.</p>")
    assert (f.data["street"], f.data["city"], f.data["kind"]) == ("1234 N. Main St.", "Springfield", "physical")
    f = only("<p>Submit forms to Room 110, 1 Civic Center Plaza, Irvine, CA 92606.</p>")
    assert f.data["unit"] == "Room 110"


def test_label_is_cleaned_of_separators():
    found = addresses("<p>Mailing Address: PO Box 1748, Austin, TX 78767-1748 | "
                      "Physical: 700 Lavaca St., Austin, TX 78701</p>")
    assert [(f.data["kind"], f.label) for f in found] == [("mailing", "Mailing Address"), ("physical", "Physical")]


def test_copyright_year_is_not_a_house_number():
    assert addresses("<footer><p>© 2024 City of Springfield</p><p>Springfield, IL 62701</p></footer>") == []


# --- AP-style state abbreviations --------------------------------------------

@pytest.mark.parametrize("html, state, city", [
    ("<p>Walk-in reports: North Substation, 410 Aspen Grove Rd., Wellington, Colo. 80549.</p>", "CO", "Wellington"),
    ("<p>725 Pine St.</p><p>Salem, Ore. 97301</p>", "OR", "Salem"),
    ("<p>1200 Harbor Way, Sacramento, Calif. 95814</p>", "CA", "Sacramento"),
    ("<p>88 Union Ave., Olympia, Wash. 98501</p>", "WA", "Olympia"),
    ("<p>1 Ashburton Place, Boston, Mass. 02108</p>", "MA", "Boston"),
    ("<p>400 North St., Harrisburg, Pa. 17120</p>", "PA", "Harrisburg"),
    ("<p>400 North St., Harrisburg, Penn. 17120</p>", "PA", "Harrisburg"),
    ("<p>52 Chambers St., New York, N.Y. 10007</p>", "NY", "New York"),
])
def test_ap_style_state_abbreviations(html, state, city):
    f = only(html)
    assert (f.data["state"], f.data["city"]) == (state, city)


@pytest.mark.parametrize("html", [
    "<p>See Minn. Stat. § 473.3997 and 12 Wash 98101 notes.</p>",  # no period after Wash: not a state
    "<p>Calif 95814 is the form number for 1200 Harbor Way.</p>",
])
def test_ap_style_needs_its_period(html):
    assert addresses(html) == []


# --- kind from a location card's heading ------------------------------------

@pytest.mark.parametrize("html", [
    "<article><h2>Eastside Branch</h2><p>4418 Thornbury Road<br>Madison, WI 53704</p></article>",
    "<div class='card'><h3>Columbus Job Center</h3><p>1450 Buckeye Landing Pkwy<br>Columbus, OH 43215</p></div>",
    "<h2>How to reach us</h2><p>County Administration Building<br>1115 Basalt Street, Room 110<br>"
    "Nampa, ID 83651</p>",
    "<h2>Regional offices</h2><div><h3>Region 1 – Kalispell</h3><p>1980 Larchwood Rd<br>Kalispell MT 59901</p>"
    "</div><div><h3>Region 5 – Billings</h3><table><tr><td>Monday</td><td>8-5</td></tr></table>"
    "<p>2300 Rimrock Trail<br>Billings, MT 59105</p></div>",
])
def test_location_card_headed_by_a_place_is_physical(html):
    assert {f.data["kind"] for f in addresses(html)} == {"physical"}


@pytest.mark.parametrize("html", [
    # an unlabelled footer block stays unknown, even under the office's name
    "<footer><h2>Eastside Branch</h2><p>4418 Thornbury Road<br>Madison, WI 53704</p></footer>",
    # a building name inside a contact block is not a label
    "<h2>Contact</h2><p>Oklahoma Judicial Center<br>2100 N Lincoln Blvd.<br>Oklahoma City, OK 73105</p>",
    # a section heading that is not a list of places
    "<h2>Board members</h2><div><h3>Region 1 – Kalispell</h3><p>1980 Larchwood Rd<br>Kalispell MT 59901</p></div>",
])
def test_unlabelled_blocks_stay_unknown(html):
    assert {f.data["kind"] for f in addresses(html)} == {"unknown"}


def test_mailing_cue_beats_the_place_heading():
    html = "<h2>Eastside Branch</h2><p>Mailing address: PO Box 12, Madison, WI 53704</p>"
    assert only(html).data["kind"] == "mailing"


# --- addresses with no ZIP ---------------------------------------------------------------

@pytest.mark.parametrize("html, value", [
    ("<p>1200 Example Street NE, Salem, OR</p>", "1200 Example Street NE, Salem, OR"),
    ("<p>PO Box 14020, Salem, Oregon</p>", "PO Box 14020, Salem, OR"),
    ("<p>PO Box 14020<br>Salem, Oregon</p>", "PO Box 14020, Salem, OR"),
    ("<p>1200 Example Street NE<br>Suite 200<br>Salem, Ore.</p>", "1200 Example Street NE, Suite 200, Salem, OR"),
    ("<p>1200 Example Street NE Suite 200, Salem, OR.</p>", "1200 Example Street NE, Suite 200, Salem, OR"),
    ("<p>150 West 85th Street, New York, New York</p>", "150 West 85th Street, New York, NY"),
    ("<p>1600 Pennsylvania Avenue NW<br>Washington, D.C.</p>", "1600 Pennsylvania Avenue NW, Washington, DC"),
    ("<p>375 Jackson St., St. Paul, Minn.</p>", "375 Jackson St., St. Paul, MN"),
    ("<p>4500 Highway 99 E, Salem, OR</p>", "4500 Highway 99 E, Salem, OR"),
    ("<p>One Civic Center Plaza, Room 110, Irvine, California</p>", "One Civic Center Plaza, Room 110, Irvine, CA"),
])
def test_street_city_and_state_without_zip(html, value):
    f = only(html)
    assert f.value == value
    assert f.data["zip"] is None and f.data["plus4"] is None
    assert f.data["city"] and f.data["state"] == value.rsplit(", ", 1)[1]


def test_no_zip_components_and_kind():
    f = only("<h3>Mailing Address</h3><p>Oregon Example Agency<br>PO Box 14020<br>Salem, Oregon</p>")
    assert f.data == {"number": "14020", "street": "PO Box 14020", "unit": None, "city": "Salem", "state": "OR",
                      "zip": None, "plus4": None, "kind": "mailing"}
    assert f.text == "PO Box 14020 / Salem, Oregon"
    f = only("<p>Visit us at 1200 Example Street NE, Suite 3, Salem, OR.</p>")
    assert (f.data["number"], f.data["street"], f.data["unit"], f.data["kind"]) == \
        ("1200", "1200 Example Street NE", "Suite 3", "physical")


def test_no_zip_address_next_to_addresses_with_zip():
    found = addresses("<p>Mailing: PO Box 14020, Salem, OR</p><p>Office: 1200 Example Street NE, Salem, OR 97301</p>")
    assert [(f.data["number"], f.data["zip"], f.data["kind"]) for f in found] == \
        [("14020", None, "mailing"), ("1200", "97301", "physical")]
    # "City, ST" with the ZIP on the next line is still the ZIP address, found once.
    assert keys("<p>1200 Example Street NE<br>Salem, OR<br>97301</p>") == {("1200", "97301")}


# Each negative is the twin of a positive above with the one thing that makes it an address removed.
@pytest.mark.parametrize("html", [
    "<p>Salem, OR</p>",                                       # no street
    "<p>Suite 200, Salem, OR</p>",                            # a unit is not a street
    "<p>Suite 200<br>Salem, OR</p>",
    "<p>The hearing is in Room 514, City Hall, Cleveland, Ohio.</p>",
    "<p>Meeting at 555 Court Street NE, Room 100</p>",        # no city and state
    "<p>Meeting at 555 Court Street NE, Salem</p>",
    "<p>1200 Example Street NE, Salem OR</p>",                # no comma before the state
    "<p>1200 Example Street NE, Salem, OR staff will attend</p>",  # words after the state
    "<p>1200 Example Street NE, Salem, or</p>",               # "or" is not Oregon
    "<p>1200 Example, Salem, OR</p>",                         # no street-type word
    "<p>1950 W. Polk, Conference Room 5301, Chicago, Illinois</p>",
    "<p>Minn. Stat. § 473.3997, St. Paul, Minn.</p>",         # statute citation
    "<p>ORS 192.610 Public Meetings Law, Salem, Oregon</p>",
    "<p>Section 12 Main Street Program, Salem, OR</p>",       # section number, not a house number
    "<p>Room 12 Main Street, Salem, OR</p>",
    "<p>1 Supreme Court, Salem, OR</p>",                      # a court's name, not "... Court" the street
    "<p>Location: , Chicago, IL</p>",
    "<p>Town of Maple Hollow, Vermont</p>",
    "<p>1200 Example Street NE</p><p>Board members</p><p>Salem, OR</p>",  # a non-unit line between
    "<p>1200 Example Street NE</p><p>a</p><p>b</p><p>c</p><p>Salem, OR</p>",
    "<p>We moved from 100 Main Street to Salem, Oregon.</p>",
    "<p>1200 Example Street NE, Salem, Mo</p>",               # AP style needs its period
])
def test_no_zip_distractors(html):
    assert addresses(html) == []


def test_no_zip_street_is_used_once():
    found = addresses("<p>PO Box 14020<br>Salem, Oregon<br>Portland, Oregon</p>")
    assert [f.value for f in found] == ["PO Box 14020, Salem, OR"]


def test_no_zip_pass_is_linear_on_large_input():
    mb = 1 << 20
    start = time.perf_counter()
    extract_addresses([Segment(text=", OR" * (mb // 4), path="p")])
    extract_addresses([Segment(text="Abc Def " * (mb // 8) + ", Salem, OR", path="p")])
    extract_addresses([Segment(text="1 " + "A " * 90 + ", Salem, OR", path="p")] * 5000)
    extract_addresses([Segment(text=t, path="p") for t in ("123 Main Street", "Suite 5", "Salem, OR")] * 10000)
    assert time.perf_counter() - start < 8  # generous: guards against backtracking, not a benchmark


def test_evaluator_matches_no_zip_addresses_by_number_and_city():
    from siteaudit.evaluate import Accuracy, Score, _score_addresses
    from siteaudit.model import Finding

    def pred(number, zip5, city):
        return Finding(kind="address", value="", text="", source="text", path="p",
                       data={"number": number, "zip": zip5, "city": city, "kind": "unknown"})

    gold = [{"number": "14020", "zip": None, "city": "Salem", "kind": "mailing"},
            {"number": "1200", "zip": "97301", "city": "Salem", "kind": "unknown"}]
    score, kinds = Score(), Accuracy()
    _score_addresses("p", [pred("14020", None, "SALEM"), pred("1200", None, "Salem"), pred("14020", None, "Eugene")],
                     gold, [], score, kinds)
    # same number and city, both without ZIP: a match; a ZIP-less prediction never matches gold with a ZIP.
    assert (score.tp, score.fp, score.fn) == (1, 2, 1)
    assert {e["value"] for e in score.errors} == {("1200", "salem"), ("14020", "eugene"), ("1200", "97301")}
