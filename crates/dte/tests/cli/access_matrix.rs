//! The authorization matrix on real rows (issue 12 item 2): every demo account × every route
//! of `dte_web::routes()` with a record of the demo year (its own class, a class of another
//! region, a trainee's own record, …) answers as `dte_domain::access::authorize` decides for
//! that principal, action and record. Unsafe requests carry a malformed body, so that what
//! passes the permission is refused later (409/422) and no state changes.

use super::demo::{demo_copy, every_class, password_of};
use super::start_server;
use dte_domain::access::{Action, Facts, Principal, authorize_any};
use dte_domain::reference::InstitutionKind;
use dte_domain::{CertificateKind, ClassStatus, Scope};
use dte_store::{CertificateFilter, ClassRow, ExamPlanFilter, Store};
use dte_web::Permission;
use reqwest::{Method, StatusCode};
use std::collections::BTreeMap;

/// The demo's accounts: one per role, and a second city.
const ACCOUNTS: [&str; 8] = [
    "demo-province",
    "demo-dalian",
    "demo-shenyang",
    "demo-dlut",
    "demo-cie",
    "demo-trainee",
    "demo-inspector",
    "demo-auditor",
];

/// A real row to put into a route's path: its id and the facts of the record (several for a
/// person, who is in reach when one of their classes is).
#[derive(Debug, Clone)]
struct Record {
    label: String,
    id: String,
    facts: Vec<Facts>,
}

/// Which certificate of the demo a case wants.
type CertificateTest<'a> = dyn Fn(&dte_store::CertificateRow) -> bool + 'a;

/// The records of each kind of path parameter.
#[derive(Debug, Default)]
struct Records {
    /// Classes to read: the trainee's own (running), an institution's own, another region's, a
    /// submitted one.
    classes: Vec<Record>,
    /// Closed classes, for the state changes: no transition leaves `closed`, so each answers
    /// 409 once the permission passes.
    closed_classes: Vec<Record>,
    sessions: Vec<Record>,
    enrolments: Vec<Record>,
    documents: Vec<Record>,
    recordings: Vec<Record>,
    persons: Vec<Record>,
    certificates: Vec<Record>,
    exam_plans: Vec<Record>,
}

/// The facts of a class: region, institution, the evaluation institutions listed for its
/// occupation once it is past approval (`class_scope!`), and its trainees.
async fn class_facts(store: &Store, class: &ClassRow) -> Facts {
    let listed_evaluators = if matches!(
        class.status,
        ClassStatus::Draft | ClassStatus::Submitted | ClassStatus::Rejected
    ) {
        Vec::new()
    } else {
        store
            .institutions(Some(InstitutionKind::Evaluation), Some(&class.occupation))
            .await
            .unwrap()
            .into_iter()
            .filter(|institution| {
                institution.listings.iter().any(|listing| {
                    listing.occupation_code == class.occupation && listing.status == "active"
                })
            })
            .map(|institution| institution.id)
            .collect()
    };
    Facts {
        region: Some(class.region.clone()),
        training_institution: Some(class.institution_id),
        listed_evaluators,
        people: store
            .class_roster(class.id)
            .await
            .unwrap()
            .into_iter()
            .map(|entry| entry.person_id)
            .collect(),
        ..Facts::default()
    }
}

fn record(label: impl Into<String>, id: impl ToString, facts: Facts) -> Record {
    Record {
        label: label.into(),
        id: id.to_string(),
        facts: vec![facts],
    }
}

/// Chooses the demo's rows: the trainee's class, classes of 大连理工大学 and of other regions,
/// and the sessions, enrolments, documents, recordings, persons, certificates and exam plans
/// that hang from them.
async fn choose_records(store: &Store, principals: &BTreeMap<&str, Principal>) -> Records {
    let Scope::Institution(dlut) = principals["demo-dlut"].scope else {
        panic!("demo-dlut is not an institution's account");
    };
    let Scope::Institution(cie) = principals["demo-cie"].scope else {
        panic!("demo-cie is not an institution's account");
    };
    let Scope::Person(trainee) = principals["demo-trainee"].scope else {
        panic!("demo-trainee is not a trainee's account");
    };
    let classes = every_class(store).await;
    let mut facts_of = BTreeMap::new();
    for class in &classes {
        facts_of.insert(class.id, class_facts(store, class).await);
    }
    let find = |what: &str, test: &dyn Fn(&ClassRow) -> bool| -> ClassRow {
        classes
            .iter()
            .find(|class| test(class))
            .cloned()
            .unwrap_or_else(|| panic!("the demo has no {what}"))
    };
    let own = find("class of the printed trainee", &|class| {
        facts_of[&class.id].people.contains(&trainee)
    });
    let own_closed = find("closed class of 大连理工大学", &|class| {
        class.institution_id == dlut && class.status == ClassStatus::Closed
    });
    let other_closed = find("closed class of another region", &|class| {
        class.region != "大连"
            && class.institution_id != dlut
            && class.status == ClassStatus::Closed
    });
    let other_running = find("running class of another region", &|class| {
        class.region != "大连"
            && class.institution_id != dlut
            && class.status == ClassStatus::Running
    });
    let submitted = find("submitted class in 大连", &|class| {
        class.region == "大连" && class.status == ClassStatus::Submitted
    });
    let mut records = Records::default();
    for (label, class) in [
        ("the trainee's class", &own),
        ("a closed class of 大连理工大学", &own_closed),
        ("a closed class of another region", &other_closed),
        ("a running class of another region", &other_running),
        ("a submitted class in 大连", &submitted),
    ] {
        let facts = facts_of[&class.id].clone();
        records.classes.push(record(label, class.id, facts.clone()));
        if class.status == ClassStatus::Closed {
            records
                .closed_classes
                .push(record(label, class.id, facts.clone()));
        }
    }
    for (label, class) in [
        ("the trainee's class", &own),
        ("a closed class of 大连理工大学", &own_closed),
        ("a running class of another region", &other_running),
    ] {
        let facts = facts_of[&class.id].clone();
        let session = store.sessions_of_class(class.id).await.unwrap().remove(0);
        records.sessions.push(record(
            format!("a session of {label}"),
            session.id,
            facts.clone(),
        ));
        let roster = store.class_roster(class.id).await.unwrap();
        let entry = roster
            .iter()
            .find(|entry| entry.person_id == trainee)
            .unwrap_or(&roster[0]);
        records.enrolments.push(record(
            format!("an enrolment in {label}"),
            entry.enrolment_id,
            facts.clone(),
        ));
        // The person, with the facts of every class they are enrolled in.
        let person_facts: Vec<Facts> = facts_of
            .values()
            .filter(|facts| facts.people.contains(&entry.person_id))
            .cloned()
            .collect();
        records.persons.push(Record {
            label: format!("a trainee of {label}"),
            id: entry.person_id.to_string(),
            facts: person_facts,
        });
    }
    for class in [&own, &own_closed, &other_closed, &other_running] {
        let facts = facts_of[&class.id].clone();
        for entry in store.class_roster(class.id).await.unwrap() {
            if let Some(document) = store.documents(entry.enrolment_id).await.unwrap().first() {
                records.documents.push(record(
                    format!("a document in class {}", class.id),
                    document.id,
                    facts.clone(),
                ));
                break;
            }
        }
        if let Some(recording) = store
            .recordings_of_class(class.id)
            .await
            .unwrap()
            .into_iter()
            .find_map(|entry| entry.recording)
        {
            records.recordings.push(record(
                format!("a recording of class {}", class.id),
                recording.id,
                facts.clone(),
            ));
        }
    }
    let certificates = store
        .certificates_in_scope(
            &Scope::Province,
            &CertificateFilter {
                limit: 500,
                ..CertificateFilter::default()
            },
        )
        .await
        .unwrap();
    let certificate_cases: [(&str, &CertificateTest<'_>); 3] = [
        ("a training certificate of 大连理工大学", &|row| {
            row.kind() == CertificateKind::Training && row.issuer_institution_id == dlut
        }),
        ("a level certificate of 中国电子学会", &|row| {
            row.kind() == CertificateKind::Level && row.issuer_institution_id == cie
        }),
        ("a certificate of another region", &|row| {
            row.region != "大连" && row.issuer_institution_id != dlut
        }),
    ];
    for (label, test) in certificate_cases {
        let row = certificates
            .iter()
            .find(|row| test(row))
            .unwrap_or_else(|| panic!("the demo has no {label}"));
        let facts = Facts {
            region: Some(row.region.clone()),
            training_institution: row.training_institution_id,
            issuer: Some(row.issuer_institution_id),
            people: vec![row.person_id],
            ..Facts::default()
        };
        records.certificates.push(record(label, &row.number, facts));
    }
    let plans = store
        .exam_plans_in_scope(&Scope::Province, &ExamPlanFilter::default())
        .await
        .unwrap();
    assert!(!plans.is_empty(), "the demo has no exam plan");
    for plan in plans.iter().take(3) {
        let facts = Facts {
            region: Some(plan.region.clone()),
            training_institution: Some(plan.training_institution_id),
            evaluation_institution: Some(plan.evaluation_institution_id),
            people: store
                .exam_candidates(plan.id)
                .await
                .unwrap()
                .into_iter()
                .map(|candidate| candidate.person_id)
                .collect(),
            ..Facts::default()
        };
        records.exam_plans.push(record(
            format!("exam plan {} ({})", plan.id, plan.status.as_str()),
            plan.id,
            facts,
        ));
    }
    records
}

/// The path parameter a route's path takes and the rows to put in it; `None` for a route
/// without a record, and an empty list where the demo has no such row (print jobs, uploads,
/// presence checks).
fn records_for<'a>(records: &'a Records, method: &str, path: &str) -> Option<&'a [Record]> {
    let unsafe_method = method != "GET";
    let rows: &[Record] = if path.contains("/classes/{id}") {
        if unsafe_method {
            &records.closed_classes
        } else {
            &records.classes
        }
    } else if path.contains("/sessions/{id}")
        || path.starts_with("/check-in/{id}")
        || path.starts_with("/learn/{id}")
    {
        &records.sessions
    } else if path.contains("/enrolments/{id}") {
        &records.enrolments
    } else if path.contains("/documents/{id}") {
        &records.documents
    } else if path.contains("/recordings/{id}") {
        &records.recordings
    } else if path.contains("/persons/{id}") {
        &records.persons
    } else if path.contains("/certificates/{number}") {
        &records.certificates
    } else if path.contains("/exam-plans/{id}") {
        &records.exam_plans
    } else if path.contains('{') && !path.contains("/quotas/{year}") {
        &[]
    } else {
        return None;
    };
    Some(rows)
}

/// The actions a route's permission names.
fn actions_of(permission: Permission) -> Vec<Action> {
    match permission {
        Permission::Public => Vec::new(),
        Permission::Action(action) => vec![action],
        Permission::AnyOf(actions) => actions.to_vec(),
    }
}

/// The body of an unsafe request: one the handler reads and then refuses where that is known to
/// come after the record's check (a rejection of a closed class: 409; a correction without a
/// reason: 422), else malformed JSON, refused before anything is written.
fn body_for(path: &str) -> &'static str {
    if path.starts_with("/api/v1/classes/") && path.ends_with("/reject") {
        r#"{"reason": "权限矩阵测试"}"#
    } else if path.starts_with("/api/v1/sessions/") && path.ends_with("/corrections") {
        r#"{"person_id": 0, "kind": "in", "present": true, "reason": ""}"#
    } else {
        "{"
    }
}

/// What a request answered: the status and, for JSON errors, the error's code.
async fn probe(
    client: &reqwest::Client,
    address: &str,
    token: &str,
    method: &str,
    path: &str,
) -> (StatusCode, String) {
    let method = Method::from_bytes(method.as_bytes()).unwrap();
    let mut request = client
        .request(method.clone(), format!("{address}{path}"))
        .bearer_auth(token);
    if method != Method::GET {
        request = request
            .header("content-type", "application/json")
            .body(body_for(path));
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    let body = response.text().await.unwrap_or_default();
    let code = serde_json::from_str::<serde_json::Value>(&body)
        .ok()
        .and_then(|value| value["error"]["code"].as_str().map(str::to_owned))
        .unwrap_or_default();
    if std::env::var_os("DTE_MATRIX_DEBUG").is_some() && code == "invalid_body" {
        eprintln!("{path}: {body}");
    }
    (status, code)
}

/// A 404 that says the record is missing from the caller's reach, as opposed to something
/// inside an allowed record being absent (a session without learning material).
fn is_scope_not_found(status: StatusCode, code: &str) -> bool {
    status == StatusCode::NOT_FOUND && !matches!(code, "material_not_found" | "not_online")
}

/// A request whose malformed body was refused before the handler reached the record.
fn body_refused(status: StatusCode, code: &str) -> bool {
    matches!(
        status,
        StatusCode::BAD_REQUEST
            | StatusCode::UNSUPPORTED_MEDIA_TYPE
            | StatusCode::UNPROCESSABLE_ENTITY
    ) && (code.is_empty() || code == "invalid_body" || code == "invalid_parameter")
}

/// Issue 12 item 2: the router, the handlers' checks and the store's scopes agree with the one
/// rule for every role and route, on the demo's real rows.
#[tokio::test]
async fn every_route_answers_every_demo_account_as_the_authorization_rule_decides() {
    let (dir, printed) = demo_copy("matrix");
    let store = Store::connect(&Store::sqlite_url_in(&dir.0)).await.unwrap();
    let mut principals = BTreeMap::new();
    for username in ACCOUNTS {
        let user = store.user_by_username(username).await.unwrap().unwrap();
        let principal = Principal::new(
            user.role,
            user.region.as_deref(),
            user.institution_id,
            user.person_id,
        )
        .unwrap();
        principals.insert(username, principal);
    }
    let records = choose_records(&store, &principals).await;
    store.close().await;

    let server = start_server(&["--data-dir", dir.text()]);
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let address = &server.address;
    let sign_in = async |username: &str| {
        let response = client
            .post(format!("{address}/api/v1/session"))
            .json(&serde_json::json!({"username": username, "password": password_of(&printed, username)}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{username} cannot sign in");
        let body: serde_json::Value = response.json().await.unwrap();
        body["token"].as_str().unwrap().to_owned()
    };
    let mut tokens = BTreeMap::new();
    for username in ACCOUNTS {
        tokens.insert(username, sign_in(username).await);
    }
    let mut wrong = Vec::new();
    let (mut checked, mut with_record, mut not_reached) = (0, 0, 0);
    let mut without_rows = Vec::new();
    let mut stopped_at_body = std::collections::BTreeSet::new();
    for route in dte_web::routes() {
        let actions = actions_of(route.permission);
        if actions.is_empty() {
            continue;
        }
        let rows: Vec<Record> = match records_for(&records, route.method, route.path) {
            None => vec![Record {
                label: "no record".into(),
                id: String::new(),
                facts: vec![Facts::default()],
            }],
            Some([]) => {
                without_rows.push(format!("{} {}", route.method, route.path));
                continue;
            }
            Some(rows) => rows.to_vec(),
        };
        for row in &rows {
            let path = route
                .path
                .replace("{id}", &row.id)
                .replace("{number}", &row.id)
                .replace("{year}", "2026")
                .replace("{region}", "大连");
            for username in ACCOUNTS {
                let principal = &principals[username];
                let allowed = actions
                    .iter()
                    .any(|action| authorize_any(principal, *action, &row.facts).is_ok());
                let admitted = route.permission.allows(Some(principal.role));
                // Signing out ends the session: those routes get a session of their own.
                let ends_session = route.path == "/logout" || route.method == "DELETE";
                let token = if ends_session {
                    sign_in(username).await
                } else {
                    tokens[username].clone()
                };
                let (status, code) = probe(&client, address, &token, route.method, &path).await;
                checked += 1;
                if !row.id.is_empty() {
                    with_record += 1;
                }
                let label = format!(
                    "{} {path} ({}) as {username}: {status} {code}, authorize says {}",
                    route.method,
                    row.label,
                    if allowed { "allowed" } else { "denied" }
                );
                let agrees = if allowed {
                    status != StatusCode::UNAUTHORIZED
                        && status != StatusCode::FORBIDDEN
                        && !is_scope_not_found(status, &code)
                } else if !admitted {
                    status == StatusCode::FORBIDDEN
                } else if route.method != "GET" && body_refused(status, &code) {
                    // The role passed the router; the malformed body stopped the handler
                    // before it read the record, so the record's facts were not reached.
                    not_reached += 1;
                    if std::env::var_os("DTE_MATRIX_DEBUG").is_some() {
                        eprintln!("stopped at the body: {label}");
                    }
                    stopped_at_body.insert(format!("{} {}", route.method, route.path));
                    true
                } else {
                    status == StatusCode::FORBIDDEN || status == StatusCode::NOT_FOUND
                };
                if !agrees {
                    wrong.push(label);
                }
            }
        }
    }
    eprintln!(
        "authorization matrix: {checked} requests, {with_record} on real rows, {not_reached} \
         stopped at the body ({stopped_at_body:?}); routes without a demo row: {without_rows:?}"
    );
    assert!(
        wrong.is_empty(),
        "{} answers disagree with the authorization rule:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
    assert!(
        with_record > 500,
        "only {with_record} requests on real rows"
    );
}
