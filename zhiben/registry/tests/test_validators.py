import pytest
from django.core.exceptions import ValidationError

from zhiben.registry.factories import make_id_number, make_uscc
from zhiben.registry.validators import validate_id_number, validate_uscc


def test_it_accepts_a_published_uscc():
    validate_uscc("91350100M000100Y43")  # the worked example of GB 32100-2015


@pytest.mark.parametrize("code", ["91350100M000100Y44", "91350100M000100Y4", "91350100I000100Y43", ""])
def test_it_rejects_a_wrong_uscc(code):
    with pytest.raises(ValidationError):
        validate_uscc(code)


def test_generated_uscc_pass_their_own_check():
    for n in range(1, 200):
        validate_uscc(make_uscc(n))


def test_it_accepts_a_valid_id_number():
    validate_id_number("11010519491231002X")  # the example of GB 11643-1999


@pytest.mark.parametrize("number", ["110105194912310021", "11010519491331002X", "1101051949123100", "abc"])
def test_it_rejects_a_wrong_id_number(number):
    with pytest.raises(ValidationError):
        validate_id_number(number)


def test_generated_id_numbers_pass_their_own_check():
    for n in range(50):
        validate_id_number(make_id_number(n))
