-- The raw tables the pipeline loads; the SQL models in sql/ are built on top of them.
-- Every statement is idempotent so a new or an old warehouse is brought to the same shape.

create table if not exists article_index (
    article_id varchar primary key,
    url varchar not null,
    title varchar,
    listed_at timestamptz,
    channel varchar,
    media_name varchar,
    partition_date date not null,
    origin varchar not null
);

create table if not exists raw_pages (
    article_id varchar primary key,
    url varchar,
    format varchar not null,
    status integer,
    charset varchar,
    sha256 varchar not null,
    size_bytes bigint not null,
    fetched_at timestamptz not null,
    listed_at timestamptz,
    origin varchar
);

create table if not exists articles (
    article_id varchar primary key,
    url varchar,
    title varchar not null,
    published_at timestamptz not null,
    source varchar,
    body varchar not null,
    page_sha256 varchar not null,
    parser_version varchar not null
);

create table if not exists capex_facts (
    article_id varchar not null,
    fact_index integer not null,
    company varchar not null,
    metric varchar not null,
    basis varchar not null,
    period varchar not null,
    value_low_usd double not null,
    value_high_usd double,
    qualifier varchar not null,
    sentence varchar not null,
    field varchar not null,
    sentence_start integer not null,
    sentence_end integer not null,
    url varchar,
    published_at timestamptz not null,
    superseded boolean not null default false,
    primary key (article_id, fact_index)
);
-- Warehouses built before revisions were marked gain the column (re-extraction fills it).
alter table capex_facts add column if not exists superseded boolean default false;

create table if not exists capex_stated_growth (
    article_id varchar not null,
    fact_index integer not null,
    company varchar not null,
    metric varchar not null,
    basis varchar not null,
    from_period varchar not null,
    to_period varchar not null,
    growth_pct double not null,
    sentence varchar not null,
    field varchar not null,
    sentence_start integer not null,
    sentence_end integer not null,
    url varchar,
    published_at timestamptz not null,
    primary key (article_id, fact_index)
);

-- Which article bodies the current extractor has read, so a rerun skips them and an
-- extractor change re-reads everything. Articles with no fact are recorded here too.
create table if not exists extractions (
    article_id varchar primary key,
    page_sha256 varchar not null,
    extractor_version varchar not null,
    fact_count integer not null,
    growth_count integer not null,
    skipped_non_usd integer not null
);

-- Everything that could not go through, with the reason a user needs to fix or retry it.
create table if not exists failures (
    stage varchar not null,  -- list, import, rejected, fetch, gone (answered for good), parse
    article_id varchar not null,
    url varchar,
    reason varchar not null,
    attempts integer,
    failed_at timestamptz not null,
    page_sha256 varchar,  -- parse failures: the page and parser they were seen with,
    code_version varchar,  -- so an unchanged page is not retried until the parser changes
    primary key (stage, article_id)
);

-- Which SQL each model table was last built from, so a run with no new data still rebuilds a
-- model whose query changed (and skips the rest).
create table if not exists model_builds (
    name varchar primary key,
    sql_version varchar not null,
    built_at timestamptz not null
);
