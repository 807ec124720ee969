"""The event forms: what people fill in, shaped into an ``EventInput`` for the services.

Dates and times are entered as local wall-clock time in the event's zone; the start and end
become ``start_local`` and a duration. Repetition is offered as a few plain choices
(``rules.py`` turns them into an RRULE). The rules themselves live in the services.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    FloatField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from quarter_node.plugin_api import InvalidInput, _, _l

from .categories import configured_categories
from .event_input import MINUTES_PER_DAY, EventInput
from .models import DEFAULT_TIMEZONE
from .rules import WEEKDAYS, RepeatChoice, build_rrule, parse_choice


class CheckboxList(SelectMultipleField):
    """Several choices as a list of checkboxes (no JavaScript, each with its label)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def weekday_choices() -> list[SelectChoice]:
    names = [_l("Monday"), _l("Tuesday"), _l("Wednesday"), _l("Thursday"), _l("Friday"),
             _l("Saturday"), _l("Sunday")]  # fmt: skip
    return [SelectChoice(code, str(name)) for code, name in zip(WEEKDAYS, names, strict=True)]


class EventForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    description = TextAreaField(_l("Description"), validators=[Length(max=20000)])
    start_date = DateField(_l("Date"), validators=[DataRequired()])
    start_time = TimeField(_l("Starts at"), validators=[Optional()])
    end_date = DateField(_l("Ends on (for events over several days)"), validators=[Optional()])
    end_time = TimeField(_l("Ends at"), validators=[Optional()])
    all_day = BooleanField(_l("All day"))
    timezone = StringField(_l("Time zone"), default=DEFAULT_TIMEZONE)
    repeat = SelectField(
        _l("Repeats"),
        choices=[
            SelectChoice("none", _l("Does not repeat")),
            SelectChoice("weekly", _l("Weekly (or every few weeks)")),
            SelectChoice("monthly_weekday", _l("Monthly on the same weekday (e.g. 2nd Tuesday)")),
            SelectChoice(
                "monthly_last_weekday", _l("Monthly on the last such weekday (e.g. last Friday)")
            ),
            SelectChoice("monthly_date", _l("Monthly on the same date")),
        ],
        default="none",
    )
    interval = IntegerField(
        _l("Every how many weeks"), default=1, validators=[Optional(), NumberRange(1, 52)]
    )
    weekdays = CheckboxList(_l("On these weekdays"), choices=[])
    repeat_end = RadioField(
        _l("The series ends"),
        choices=[
            SelectChoice("never", _l("never")),
            SelectChoice("until", _l("on a date")),
            SelectChoice("count", _l("after a number of dates")),
        ],
        default="never",
    )
    until = DateField(_l("Last date"), validators=[Optional()])
    count = IntegerField(_l("Number of dates"), validators=[Optional(), NumberRange(1, 500)])
    place_name = StringField(_l("Place"), validators=[Length(max=200)])
    street_address = StringField(_l("Street and number"), validators=[Length(max=200)])
    postal_code = StringField(_l("Postal code"), validators=[Length(max=20)])
    locality = StringField(_l("Town"), validators=[Length(max=100)])
    region = StringField(_l("Region"), validators=[Length(max=100)])
    country = StringField(_l("Country code"), default="DE", validators=[Length(max=2)])
    latitude = FloatField(_l("Latitude"), validators=[Optional()])
    longitude = FloatField(_l("Longitude"), validators=[Optional()])
    online_url = StringField(_l("Online link"), validators=[Length(max=2048)])
    image = FileField(_l("Picture"))
    image_alt = TextAreaField(_l("Description of the picture"), validators=[Length(max=1500)])
    remove_image = BooleanField(_l("Remove the picture"))
    categories = CheckboxList(_l("Categories"), choices=[])
    step_free = BooleanField(_l("Step-free access"))
    sign_language = BooleanField(_l("Sign language interpretation"))
    hearing_loop = BooleanField(_l("Hearing loop"))
    accessibility_notes = TextAreaField(
        _l("More about accessibility"), validators=[Length(max=2000)]
    )
    language = StringField(_l("Language (code)"), default="de", validators=[Length(max=10)])
    contact = StringField(_l("Contact"), validators=[Length(max=300)])
    visibility = SelectField(_l("Who can see it"), choices=[])
    join_mode = SelectField(
        _l("Sign-up"),
        choices=[
            SelectChoice("free", _l("Anybody can sign up")),
            SelectChoice("approval", _l("The organiser approves each sign-up")),
            SelectChoice("closed", _l("No sign-up")),
        ],
        default="free",
    )
    capacity = IntegerField(
        _l("Number of places (empty: unlimited)"), validators=[Optional(), NumberRange(1)]
    )

    def __init__(self, *args: Any, in_group: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.weekdays.choices = weekday_choices()
        self.categories.choices = [
            SelectChoice(slug, label) for slug, label in configured_categories().items()
        ]
        visibility = [
            SelectChoice("public", _("Public: everybody")),
            SelectChoice("members", _("Members of this node")),
        ]
        if in_group:
            visibility.append(SelectChoice("group", _("Only members of the group")))
        self.visibility.choices = visibility

    def to_input(self) -> EventInput:
        """The filled-in form as the services' input (raises ``InvalidInput``)."""
        start, duration = self._start_and_duration()
        zone = (self.timezone.data or DEFAULT_TIMEZONE).strip()
        choice = RepeatChoice(
            repeat=self.repeat.data,
            interval=self.interval.data or 1,
            weekdays=list(self.weekdays.data or []),
            until=self.until.data if self.repeat_end.data == "until" else None,
            count=self.count.data if self.repeat_end.data == "count" else None,
        )
        if self.repeat_end.data == "until" and choice.until is None:
            raise InvalidInput(_("Please give the last date of the series."))
        if self.repeat_end.data == "count" and choice.count is None:
            raise InvalidInput(_("Please give the number of dates."))
        return EventInput(
            title=self.title.data or "",
            description=self.description.data or "",
            start_local=start,
            duration=duration,
            timezone=zone,
            all_day=bool(self.all_day.data),
            rrule=build_rrule(choice, start, zone, bool(self.all_day.data)),
            place_name=(self.place_name.data or "").strip(),
            street_address=(self.street_address.data or "").strip(),
            postal_code=(self.postal_code.data or "").strip(),
            locality=(self.locality.data or "").strip(),
            region=(self.region.data or "").strip(),
            country=(self.country.data or "").strip(),
            latitude=self.latitude.data,
            longitude=self.longitude.data,
            online_url=(self.online_url.data or "").strip(),
            categories=list(self.categories.data or []),
            step_free=bool(self.step_free.data),
            sign_language=bool(self.sign_language.data),
            hearing_loop=bool(self.hearing_loop.data),
            accessibility_notes=(self.accessibility_notes.data or "").strip(),
            language=(self.language.data or "de").strip(),
            contact=(self.contact.data or "").strip(),
            visibility=self.visibility.data,
            join_mode=self.join_mode.data,
            capacity=self.capacity.data,
            image_file=self.image.data or None,
            image_alt=self.image_alt.data or "",
            remove_image=bool(self.remove_image.data),
        )

    def _start_and_duration(self) -> tuple[datetime, int]:
        first_day: date = self.start_date.data
        last_day: date = self.end_date.data or first_day
        if self.all_day.data:
            days = (last_day - first_day).days + 1
            if days < 1:
                raise InvalidInput(_("The event must end after it starts."))
            return datetime.combine(first_day, time()), days * MINUTES_PER_DAY
        if self.start_time.data is None:
            raise InvalidInput(_("Please give the start time, or mark the event as all day."))
        start = datetime.combine(first_day, self.start_time.data)
        end_time = self.end_time.data or (start + timedelta(hours=1)).time()
        end = datetime.combine(last_day, end_time)
        if end < start and self.end_date.data is None:
            end += timedelta(days=1)  # 20:00 to 01:00: ends the next night
        if end < start:
            raise InvalidInput(_("The event must end after it starts."))
        return start, int((end - start).total_seconds() // 60)

    def fill_from(self, event: Any) -> None:
        """Show a stored event in the form (for editing)."""
        for name in ("title", "description", "timezone", "all_day", "place_name",
                     "street_address", "postal_code", "locality", "region", "country",
                     "latitude", "longitude", "online_url", "image_alt", "step_free",
                     "sign_language", "hearing_loop", "accessibility_notes", "language",
                     "contact", "visibility", "join_mode", "capacity"):  # fmt: skip
            getattr(self, name).data = getattr(event, name)
        end = event.start_local + timedelta(minutes=event.duration)
        if event.all_day:
            end -= timedelta(days=1)
        self.start_date.data = event.start_local.date()
        self.start_time.data = None if event.all_day else event.start_local.time()
        self.end_date.data = end.date() if end.date() != event.start_local.date() else None
        self.end_time.data = None if event.all_day else end.time()
        self.categories.data = event.categories
        choice = parse_choice(event.rrule, event.timezone)
        self.repeat.data = choice.repeat
        self.interval.data = choice.interval
        self.weekdays.data = choice.weekdays
        self.until.data = choice.until
        self.count.data = choice.count
        self.repeat_end.data = "until" if choice.until else "count" if choice.count else "never"


class PostponeForm(FlaskForm):
    start_date = DateField(_l("New date"), validators=[DataRequired()])
    start_time = TimeField(_l("New start time"), validators=[Optional()])

    def new_start(self) -> datetime:
        return datetime.combine(self.start_date.data, self.start_time.data or time())


class OccurrenceForm(FlaskForm):
    """One date of a series: moved, renamed or with a note."""

    start_date = DateField(_l("Date"), validators=[DataRequired()])
    start_time = TimeField(_l("Starts at"), validators=[Optional()])
    duration = IntegerField(
        _l("Duration in minutes"), validators=[Optional(), NumberRange(0, 86400)]
    )
    title = StringField(_l("Title for this date"), validators=[Length(max=200)])
    place_name = StringField(_l("Place for this date"), validators=[Length(max=200)])
    note = TextAreaField(_l("Note for this date"), validators=[Length(max=2000)])

    def new_start(self) -> datetime:
        return datetime.combine(self.start_date.data, self.start_time.data or time())
