# The admin in Korean writes dates the way a Korean press office does: 2019년 7월 9일 10:45, with a
# 24-hour clock (Django's own Korean formats put 오전/오후 after the time). Input formats are Django's.
DATE_FORMAT = "Y년 n월 j일"
DATETIME_FORMAT = "Y년 n월 j일 H:i"
YEAR_MONTH_FORMAT = "Y년 n월"
MONTH_DAY_FORMAT = "n월 j일"
SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
TIME_FORMAT = "H:i"
