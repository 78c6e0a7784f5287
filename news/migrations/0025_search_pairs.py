"""Word pairs and triples for phrase searches on PostgreSQL (news.search: a quoted phrase of
common words).

`gwangju_lexeme_pairs(tsvector)` is the one definition, used for the clips' index and for a
reader's phrase alike: the lexemes in the order of their positions, each one with the next ("a~b";
stop words leave no lexeme, so "city of Gwangju" pairs city~gwangju) and with the next two
("a~b~c"), each kept as the hex digits of its 64-bit `hashtextextended` (a key of fixed size,
whatever the words: the index stays small, and a rare collision only adds a candidate that the
phrase itself then rejects; the function is the one hash partitioning relies on, so it keeps its
values across upgrades). Lexemes that share a position (past 16,383 positions, where PostgreSQL
stops counting, and phrases no longer match there anyway) are taken in alphabetical order. A phrase can only match a clip that holds all its pairs
and triples, so their GIN index narrows the clips PostgreSQL must check position by position from
all that hold the words to the few that hold them side by side.
"""

import django.contrib.postgres.search
from django.db import migrations

# Bounded for hostile text: a clip with more than 50,000 distinct pairs and triples (a body of
# some 25,000 words; a tsvector holds 1 MB at most) is marked '~all' instead: it is a candidate
# for every phrase (news.search asks for "… | '~all'"). Neighbours come from lead() over the
# positions, not from subscripts of an array of lexemes: a subscript walks a text array from its
# start, which made the function quadratic in the words (0.9 ms a clip of 300 words; now 0.3).
PAIRS_FUNCTION = r"""
CREATE OR REPLACE FUNCTION gwangju_lexeme_pairs(vector tsvector) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    WITH words AS (
        SELECT word.lexeme AS a,
               lead(word.lexeme, 1) OVER (ORDER BY position, word.lexeme) AS b,
               lead(word.lexeme, 2) OVER (ORDER BY position, word.lexeme) AS c
        FROM unnest(vector) AS word(lexeme, positions, weights), unnest(word.positions) AS position
    ), runs AS (
        SELECT array_to_tsvector(
            array_agg(to_hex(hashtextextended(a || '~' || b, 0))) FILTER (WHERE b IS NOT NULL)
            || array_agg(to_hex(hashtextextended(a || '~' || b || '~' || c, 0))) FILTER (WHERE c IS NOT NULL)
        ) AS keys
        FROM words
    )
    SELECT CASE WHEN length(keys) > 50000 THEN array_to_tsvector(ARRAY['~all'])
                ELSE coalesce(keys, ''::tsvector) END
    FROM runs
$$
"""


def build(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(PAIRS_FUNCTION)
    schema_editor.execute("UPDATE news_newsclip SET search_pairs = gwangju_lexeme_pairs(search_vector)")
    schema_editor.execute("CREATE INDEX IF NOT EXISTS clip_search_pairs_idx ON news_newsclip USING gin (search_pairs)")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS clip_search_pairs_idx")
    schema_editor.execute("DROP FUNCTION IF EXISTS gwangju_lexeme_pairs(tsvector)")


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0024_translatable_labels"),
    ]

    operations = [
        migrations.AddField(
            model_name="newsclip",
            name="search_pairs",
            field=django.contrib.postgres.search.SearchVectorField(
                editable=False, null=True, verbose_name="search word pairs"
            ),
        ),
        migrations.RunPython(build, drop),
    ]
