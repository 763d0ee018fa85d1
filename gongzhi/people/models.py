"""People: accounts, persons, households, residents (tenants included) and owners."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongzhi.people import rules
from gongzhi.places.models import Room


def validate_mobile(value: str) -> None:
    if not rules.is_mobile(value):
        raise ValidationError(_("请输入11位中国大陆手机号码。"), code="mobile")


def validate_id_number(value: str) -> None:
    if not rules.is_id_number(value):
        raise ValidationError(_("身份证号码格式或校验位不正确。"), code="id_number")


class Gender(models.TextChoices):
    MALE = "m", _("男")
    FEMALE = "f", _("女")
    UNKNOWN = "", _("未填")


class Person(models.Model):
    """人员: a person known to the platform, whether or not they have an account."""

    name = models.CharField(_("姓名"), max_length=50)
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    phone = models.CharField(
        _("手机号"), max_length=11, blank=True, default="", validators=[validate_mobile]
    )
    id_number = models.CharField(
        _("身份证号"), max_length=18, null=True, blank=True, validators=[validate_id_number]
    )
    is_vulnerable = models.BooleanField(
        _("困难/特殊群体"), default=False, help_text=_("独居老人、困难家庭、留守儿童等")
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        constraints = [
            models.UniqueConstraint(
                fields=["id_number"], condition=Q(id_number__isnull=False), name="person_id_unique"
            )
        ]
        indexes = [models.Index(fields=["phone"], name="person_phone")]

    def __str__(self) -> str:
        return self.name

    def clean_fields(self, exclude=None):
        self.id_number = rules.normalise_id_number(self.id_number)
        super().clean_fields(exclude=exclude)

    def save(self, *args, **kwargs):
        # One spelling per ID number, so the unique constraint sees '…X' and '…x' as one.
        self.id_number = rules.normalise_id_number(self.id_number)
        super().save(*args, **kwargs)

    @property
    def masked_phone(self) -> str:
        return rules.mask_phone(self.phone)

    @property
    def masked_id_number(self) -> str:
        return rules.mask_id_number(self.id_number)


class AccountManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, phone: str, password: str | None = None, **extra):
        phone = rules.normalise_mobile(phone)
        validate_mobile(phone)
        account = self.model(phone=phone, **extra)
        account.set_password(password)
        account.save(using=self._db)
        return account

    def create_superuser(self, phone: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(phone, password, **extra)


class Account(AbstractBaseUser, PermissionsMixin):
    """账号: a login, by mainland mobile number, linked to the person who holds it."""

    phone = models.CharField(_("手机号"), max_length=11, unique=True, validators=[validate_mobile])
    person = models.OneToOneField(
        Person, on_delete=models.PROTECT, related_name="account", null=True, blank=True
    )
    is_active = models.BooleanField(_("启用"), default=True)
    is_staff = models.BooleanField(_("可进入管理后台"), default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = AccountManager()

    USERNAME_FIELD = "phone"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("账号")
        verbose_name_plural = _("账号")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.person.name if self.person_id else rules.mask_phone(self.phone)


class Household(models.Model):
    """户: a household living in a room."""

    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="households")
    head = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="headed_households"
    )
    is_renting = models.BooleanField(_("租住户"), default=False)
    moved_in = models.DateField(_("入住日期"), null=True, blank=True)
    moved_out = models.DateField(_("迁出日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("户")
        verbose_name_plural = _("户")
        constraints = [
            models.CheckConstraint(
                condition=Q(moved_out__isnull=True)
                | Q(moved_in__isnull=True)
                | Q(moved_out__gte=models.F("moved_in")),
                name="household_dates_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.room}" + (f" {self.head.name}" if self.head_id else "")


class Relation(models.TextChoices):
    HEAD = "head", _("户主")
    SPOUSE = "spouse", _("配偶")
    CHILD = "child", _("子女")
    PARENT = "parent", _("父母")
    TENANT = "tenant", _("租户")
    OTHER = "other", _("其他")


class Residency(models.Model):
    """居住: a person living in a household (tenants included)."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="residencies")
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="residencies")
    relation = models.CharField(_("与户主关系"), max_length=16, choices=Relation.choices)
    is_tenant = models.BooleanField(_("租户"), default=False)
    since = models.DateField(_("起"), null=True, blank=True)
    until = models.DateField(_("止"), null=True, blank=True)

    class Meta:
        verbose_name = _("居住关系")
        verbose_name_plural = _("居住关系")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "household"],
                condition=Q(until__isnull=True),
                name="residency_active_unique",
            )
        ]


class Ownership(models.Model):
    """产权: a person owning (or co-owning) a room; one co-owner is designated to vote."""

    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="ownerships")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="ownerships")
    share = models.DecimalField(
        _("份额"), max_digits=5, decimal_places=4, default=Decimal("1.0000")
    )
    is_designated_voter = models.BooleanField(_("指定表决人"), default=True)
    certificate_no = models.CharField(_("不动产权证号"), max_length=64, blank=True)
    since = models.DateField(_("起"), null=True, blank=True)
    until = models.DateField(_("止"), null=True, blank=True)

    class Meta:
        verbose_name = _("产权")
        verbose_name_plural = _("产权")
        constraints = [
            models.UniqueConstraint(
                fields=["room", "person"],
                condition=Q(until__isnull=True),
                name="ownership_active_unique",
            ),
            models.UniqueConstraint(
                fields=["room"],
                condition=Q(until__isnull=True, is_designated_voter=True),
                name="ownership_one_designated_voter",
            ),
            models.CheckConstraint(
                condition=Q(share__gt=0) & Q(share__lte=1), name="ownership_share_range"
            ),
        ]


class SmsCode(models.Model):
    """A one-time login code sent by SMS; stored hashed, used once, expires."""

    phone = models.CharField(max_length=11, db_index=True)
    code_hash = models.CharField(max_length=128)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("短信验证码")
        verbose_name_plural = _("短信验证码")
