-- What the Academie offers and when.
CREATE TYPE course_format AS ENUM ('cursus', 'werkplaats', 'bijeenkomst');
CREATE TYPE course_status AS ENUM ('draft', 'published', 'cancelled', 'archived');
CREATE TYPE session_status AS ENUM ('scheduled', 'cancelled');

CREATE TABLE themes (
    id             BIGSERIAL PRIMARY KEY,
    slug           TEXT NOT NULL UNIQUE,
    name_nl        TEXT NOT NULL,
    name_en        TEXT NOT NULL,
    description_nl TEXT NOT NULL DEFAULT '',
    description_en TEXT NOT NULL DEFAULT '',
    retired_at     TIMESTAMPTZ,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);

INSERT INTO themes (slug, name_nl, name_en, description_nl, description_en) VALUES
('ondermijning', 'Ondermijning', 'Subversive crime',
 'Herkennen wat er misgaat in je wijk, zoals drugshandel of uitbuiting, en weten wat je kunt doen.',
 'Recognising what goes wrong in your neighbourhood, such as drug dealing or exploitation, and knowing what you can do.'),
('energietransitie', 'Energietransitie', 'Energy transition',
 'Samen werken aan minder energie gebruiken en schone energie in je buurt.',
 'Working together on using less energy and on clean energy in your neighbourhood.'),
('democratisering', 'Democratisering', 'Democratisation',
 'Meer zeggenschap voor bewoners: meedenken, meebeslissen en zelf doen.',
 'More say for residents: thinking along, deciding together and doing it yourself.'),
('wijkvernieuwing', 'Wijkvernieuwing', 'Neighbourhood renewal',
 'Je wijk beter maken: wonen, groen, ontmoeten en samen plannen maken.',
 'Making your neighbourhood better: housing, green space, meeting and making plans together.'),
('persoonlijk-leiderschap', 'Persoonlijk leiderschap', 'Personal leadership',
 'Groeien als wijkmaker: je kracht kennen, keuzes maken en anderen meenemen.',
 'Growing as a neighbourhood maker: knowing your strengths, making choices and bringing others along.'),
('elkaars-taal', 'Elkaars taal', 'Speaking each other''s language',
 'Communiceren tussen werelden: bewoners, organisaties en gemeente begrijpen elkaar beter.',
 'Communicating across worlds: residents, organisations and the municipality understand each other better.');

CREATE TABLE courses (
    id                          BIGSERIAL PRIMARY KEY,
    slug                        TEXT NOT NULL UNIQUE,
    title                       TEXT NOT NULL CHECK (title <> ''),
    summary                     TEXT NOT NULL DEFAULT '',
    -- Markdown as written, and the sanitised HTML rendered from it when saved
    description                 TEXT NOT NULL DEFAULT '',
    description_html            TEXT NOT NULL DEFAULT '',
    theme_id                    BIGINT NOT NULL REFERENCES themes (id),
    format                      course_format NOT NULL DEFAULT 'cursus',
    audience                    TEXT NOT NULL DEFAULT '',
    capacity                    INTEGER NOT NULL CHECK (capacity >= 1),
    enrolment_opens_at          TIMESTAMPTZ,
    enrolment_closes_at         TIMESTAMPTZ,
    cancellation_deadline_hours INTEGER NOT NULL DEFAULT 24 CHECK (cancellation_deadline_hours >= 0),
    completion_threshold        INTEGER NOT NULL DEFAULT 80
                                CHECK (completion_threshold BETWEEN 1 AND 100),
    waitlist_enabled            BOOLEAN NOT NULL DEFAULT TRUE,
    status                      course_status NOT NULL DEFAULT 'draft',
    search                      TSVECTOR GENERATED ALWAYS AS (
                                    setweight(to_tsvector('dutch', title), 'A') ||
                                    setweight(to_tsvector('dutch', summary), 'B') ||
                                    setweight(to_tsvector('dutch', description), 'C')) STORED,
    created_by                  BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at                  TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at                  TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK (enrolment_closes_at IS NULL OR enrolment_opens_at IS NULL
           OR enrolment_closes_at > enrolment_opens_at)
);
CREATE INDEX courses_status_idx ON courses (status, theme_id);
CREATE INDEX courses_search_idx ON courses USING GIN (search);

CREATE TABLE course_sessions (
    id         BIGSERIAL PRIMARY KEY,
    course_id  BIGINT NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    starts_at  TIMESTAMPTZ NOT NULL,
    ends_at    TIMESTAMPTZ NOT NULL,
    place      TEXT NOT NULL DEFAULT '',
    address    TEXT NOT NULL DEFAULT '',
    wijk       TEXT,
    online_url TEXT,
    status     session_status NOT NULL DEFAULT 'scheduled',
    -- raised on every change, so calendar programs replace the event they have
    sequence   INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK (ends_at > starts_at)
);
CREATE INDEX course_sessions_course_idx ON course_sessions (course_id, starts_at);
CREATE INDEX course_sessions_upcoming_idx ON course_sessions (starts_at) WHERE status = 'scheduled';
CREATE INDEX course_sessions_wijk_idx ON course_sessions (wijk, starts_at);

CREATE TABLE course_trainers (
    course_id   BIGINT NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    user_id     BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    assigned_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (course_id, user_id)
);
CREATE INDEX course_trainers_user_idx ON course_trainers (user_id);
