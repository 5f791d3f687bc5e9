"""Choosing a unit as a person does it: typing part of its name without diacritics in the unit picker (Tom Select,
static/js/unit-picker.js) and clicking the unit named with its parent."""

import re

from playwright.sync_api import expect


def choose_unit(scope, name: str, typed: str, label: str) -> None:
    """In `scope` (a page or a form), open the picker of the select named `name`, type `typed`, click `label`."""
    wrapper = scope.locator(f"select[name='{name}'] + .ts-wrapper")
    wrapper.locator(".ts-control").click()
    # Filled into the picker's own input in one input event: typed key by key, the first letters could land before
    # the input has the focus.
    wrapper.locator(".ts-control input").fill(typed)
    option = wrapper.locator(".ts-dropdown .option").filter(has_text=re.compile(rf"^\s*{re.escape(label)}\s*$"))
    expect(option).to_be_visible()
    option.click()
    expect(scope.locator(f"select[name='{name}'] option:checked")).to_have_text(label)
    expect(wrapper.locator(".ts-dropdown")).to_be_hidden()  # closed, and not reopened by a late refresh
