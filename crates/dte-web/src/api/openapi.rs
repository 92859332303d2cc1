//! The OpenAPI document, generated from the handlers and wire types.

use crate::cached::CachedJson;
use crate::error::{AppError, ErrorBody, ErrorDetail};
use crate::wire::{
    Institution, InstitutionListing, Occupation, OccupationLevel, OccupationLevels, Page, Policy,
    Region, Setting, SubsidyCategory,
};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use std::sync::LazyLock;
use utoipa::OpenApi;

/// The OpenAPI description of DTE's API.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "DTE — 辽宁省数字技术工程师培育项目管理平台 API",
        description = "The API of DTE. Collections answer `{\"items\": [...], \"next\": cursor-or-null}`; errors answer `{\"error\": {\"code\", \"message\", \"field\"}}` with a Chinese message. Money is in integer fen.",
        version = "1"
    ),
    paths(
        crate::api::health::healthz,
        crate::api::health::readyz,
        crate::api::catalog::occupations,
        crate::api::catalog::regions,
        crate::api::catalog::institutions,
        crate::api::catalog::settings,
        crate::api::certificates::verify,
        crate::api::certificates::keys,
        crate::api::certificates::list,
        crate::api::certificates::pdf,
        crate::api::certificates::credential,
        crate::api::certificates::revoke,
        crate::api::certificates::completion,
        crate::api::certificates::record,
        crate::api::certificates::issue,
        crate::api::certificates::print_class,
        crate::api::certificates::job,
        crate::api::certificates::job_pdf,
        crate::api::certificates::set_pattern,
        crate::api::certificates::set_seal,
        crate::api::session::create,
        crate::api::session::delete,
        crate::api::session::me,
        crate::api::audit::list,
        crate::api::activation::activate,
        crate::api::classes::list,
        crate::api::classes::create,
        crate::api::classes::show,
        crate::api::classes::update,
        crate::api::classes::submit,
        crate::api::classes::approve,
        crate::api::classes::reject,
        crate::api::classes::start,
        crate::api::classes::finish,
        crate::api::classes::close,
        crate::api::enrolments::roster,
        crate::api::enrolments::create,
        crate::api::enrolments::import,
        crate::api::enrolments::export_xlsx,
        crate::api::enrolments::export_csv,
        crate::api::enrolments::template,
        crate::api::persons::show,
        crate::api::check_ins::code,
        crate::api::check_ins::create,
        crate::api::check_ins::correct,
        crate::api::check_ins::ledger,
        crate::api::flags::list,
        crate::api::supervision::review_flag,
        crate::api::supervision::violations,
        crate::api::supervision::impose,
        crate::api::supervision::sanctions,
        crate::api::supervision::lift,
        crate::api::supervision::complaints,
        crate::api::supervision::lodge,
        crate::api::supervision::resolve,
        crate::api::inspections::items,
        crate::api::inspections::add_item,
        crate::api::inspections::declare_conflict,
        crate::api::inspections::draws,
        crate::api::inspections::run_draw,
        crate::api::inspections::draw,
        crate::api::documents::upload,
        crate::api::documents::list,
        crate::api::documents::download,
        crate::api::online::heartbeat,
        crate::api::online::answer,
        crate::api::recordings::material,
        crate::api::recordings::start,
        crate::api::recordings::show,
        crate::api::recordings::put,
        crate::api::recordings::register,
        crate::api::recordings::list,
        crate::api::recordings::file,
        crate::api::quotas::list,
        crate::api::quotas::set,
        crate::api::calendar::year,
        crate::api::calendar::set_day,
        crate::api::claims::list,
        crate::api::claims::open,
        crate::api::claims::show,
        crate::api::claims::submit,
        crate::api::claims::recheck,
        crate::api::claims::withdraw,
        crate::api::claims::withdraw_line,
        crate::api::claims::review,
        crate::api::claims::approve,
        crate::api::claims::close_notice,
        crate::api::claims::object,
        crate::api::claims::resolve,
        crate::api::claims::pay,
        crate::api::claims::notices,
        crate::api::claims::payments,
        crate::api::claims::clawbacks,
        crate::api::claims::open_clawback,
        crate::api::claims::recover,
        crate::api::claims::write_off,
        crate::api::claims::balances,
        crate::api::claims::allocate,
        crate::api::claim_documents::notice,
        crate::api::claim_documents::form_pdf,
        crate::api::claim_documents::form_xlsx,
        crate::api::claim_documents::ledger_pdf,
        crate::api::claim_documents::ledger_xlsx,
        crate::api::claim_documents::subsidies,
        crate::api::exams::list,
        crate::api::exams::propose,
        crate::api::exams::show,
        crate::api::exams::agree,
        crate::api::exams::decline,
        crate::api::exams::enter_scores,
        crate::api::exams::score_sheet,
        crate::api::exams::import_scores,
        crate::api::exams::issue,
        crate::api::hours::mine,
        crate::api::hours::mine_xlsx,
        crate::api::hours::mine_pdf,
        crate::api::hours::of_person_pdf,
        crate::api::hours::of_person,
        crate::api::hours::of_person_xlsx,
        document,
    ),
    components(schemas(
        ErrorBody, ErrorDetail, Occupation, OccupationLevels, OccupationLevel, Region,
        Institution, InstitutionListing, Policy, Setting, SubsidyCategory,
        Page<Occupation>, Page<Region>, Page<Institution>,
        crate::wire::ClassSummary, crate::wire::ClassDetail, crate::wire::RosterLine, crate::wire::QuotaLine,
        Page<crate::wire::ClassSummary>, Page<crate::wire::RosterLine>, Page<crate::wire::QuotaLine>,
        dte_app::classes::plan::ClassInput, dte_app::classes::plan::SessionInput, dte_app::classes::plan::FenceInput, dte_app::classes::plan::Point,
        dte_app::classes::enrol::EnrolmentInput, dte_app::classes::enrol::EnrolmentOutcome, Page<dte_app::classes::enrol::EnrolmentOutcome>,
        crate::api::classes::StatusChanged, crate::api::classes::Rejection, crate::api::classes::Created,
        crate::api::quotas::QuotaChange, crate::api::persons::Person, dte_app::classes::check_in::ClassroomCode, dte_app::classes::check_in::CheckInRequest, dte_app::classes::check_in::CheckInAnswer, dte_app::classes::attendance::CorrectionRequest, crate::wire::CorrectionCreated, crate::wire::Ledger, crate::wire::LedgerLine, crate::wire::FlagItem, crate::wire::FlagEvidence, crate::wire::FlagPerson, Page<crate::wire::FlagItem>, crate::api::documents::Document, Page<crate::api::documents::Document>, crate::api::activation::ActivationRequest,
        dte_app::classes::online::HeartbeatRequest, dte_app::classes::online::LearningState, dte_app::classes::online::OpenPresenceCheck, dte_app::classes::online::PresenceAnswer,
        dte_app::classes::recordings::UploadRequest, dte_app::classes::recordings::UploadState, dte_app::classes::recordings::ReferenceRequest, dte_app::classes::recordings::SessionRecordingView, dte_app::classes::recordings::RecordingView, Page<dte_app::classes::recordings::SessionRecordingView>,
        crate::api::claims::ClaimItem, crate::api::claims::ClaimLine, crate::api::claims::LineReason, crate::api::claims::Objection, crate::api::claims::ClaimDetail, Page<crate::api::claims::ClaimItem>,
        crate::api::claims::OpenInput, crate::api::claims::LineInput, crate::api::claims::ReviewInput, dte_app::claims::Decision, dte_app::claims::ObjectionInput, crate::api::claims::Lodged, crate::api::claims::Resolution, crate::api::claims::Share, dte_app::claims::PaymentInput,
        crate::api::claims::NoticeItem, crate::api::claims::NoticeLine, Page<crate::api::claims::NoticeItem>, crate::api::claims::PaymentItem, Page<crate::api::claims::PaymentItem>, crate::api::claims::ClawbackItem, Page<crate::api::claims::ClawbackItem>,
        crate::api::claims::ClawbackInput, dte_app::claims::RecoveryInput, crate::api::claims::WriteOffInput, crate::api::claims::Balances, dte_app::claims::Allocation,
        crate::api::exams::ExamPlan, crate::api::exams::Candidate, crate::api::exams::ExamPlanDetail, crate::api::exams::ProposalInput, crate::api::exams::Decline, crate::api::exams::ScoresInput, crate::api::exams::ScoreInput, Page<crate::api::exams::ExamPlan>,
        dte_app::calendar::CalendarYear, dte_app::calendar::CalendarEntry, dte_app::calendar::CalendarDayInput, dte_app::calendar::CalendarDaySet,
        dte_app::evaluation::hours::HoursRecord, dte_app::evaluation::hours::HoursYear, dte_app::evaluation::hours::HoursTraining,
        crate::wire::CertificateItem, Page<crate::wire::CertificateItem>, crate::wire::CompletionLine, crate::wire::CompletionReason, Page<crate::wire::CompletionLine>,
        dte_app::certificates::verify::Verification, crate::api::certificates::RevocationInput, crate::api::certificates::ResultLine, crate::api::certificates::ResultsInput,
        crate::api::certificates::IssueInput, crate::api::certificates::PrintJob, crate::api::certificates::PatternInput,
        crate::wire::FlagReview, crate::api::supervision::Recorded, crate::api::supervision::ViolationItem, Page<crate::api::supervision::ViolationItem>, crate::api::supervision::SanctionItem, Page<crate::api::supervision::SanctionItem>, crate::api::supervision::ComplaintItem, Page<crate::api::supervision::ComplaintItem>,
        dte_app::supervision::FlagReviewInput, dte_app::supervision::SanctionInput, dte_app::supervision::LiftInput, dte_app::supervision::ComplaintInput, dte_app::supervision::ResolutionInput,
        crate::api::inspections::Created, crate::api::inspections::InspectionItem, Page<crate::api::inspections::InspectionItem>, crate::api::inspections::DrawCandidate, crate::api::inspections::DrawnTargetItem, crate::api::inspections::DrawnInspector, crate::api::inspections::DrawItem, Page<crate::api::inspections::DrawItem>,
        dte_app::inspection::ItemInput, dte_app::inspection::ConflictInput, dte_app::inspection::DrawInput,
        crate::api::session::SignInRequest, crate::api::audit::AuditEntry, Page<crate::api::audit::AuditEntry>, crate::api::session::SessionCreated, crate::api::session::Me,
    )),
    modifiers(&BearerAuth),
    tags(
        (name = "health", description = "Liveness and readiness"),
        (name = "catalog", description = "两目录: occupations, institutions, regions and quotas, policy"),
        (name = "calendar", description = "放假调休: the holiday calendar working days are counted with (review time, 公示 period)"),
        (name = "certificates", description = "证书: completion, training and level certificates, PDFs, signatures, public verification"),
        (name = "session", description = "Sign in and out; bearer tokens for API clients"),
        (name = "classes", description = "班期: classes, their review, quotas"),
        (name = "subsidy", description = "补贴: claims, the city's review, public notices and objections, payments, funds, clawbacks"),
        (name = "enrolment", description = "实名制招收: rosters, enrolment, people"),
        (name = "attendance", description = "考勤: the classroom code, check-in and check-out, corrections, the hours ledger, risk flags"),
        (name = "online", description = "线上学习: heartbeats, presence confirmations, learning materials"),
        (name = "recordings", description = "全程录像: uploads (resumable, SHA-256), external references, play and download"),
        (name = "evaluation", description = "专业技术等级考核: exam plans, scores; 继续教育学时"),
        (name = "supervision", description = "培训监督: flag reviews, violations, sanctions and their lifting, complaints (举报投诉)"),
        (name = "audit", description = "The tamper-evident audit log (audit administrator only)"),
        (name = "meta", description = "This document"),
    )
)]
pub struct ApiDoc;

/// The document, generated and serialised once per process: it depends on the binary alone.
static DOCUMENT: LazyLock<Result<CachedJson, String>> =
    LazyLock::new(|| CachedJson::serialise(&ApiDoc::openapi()).map_err(|error| error.to_string()));

/// This document. It changes only with the binary, so clients may keep it five minutes and
/// then revalidate it by its ETag.
#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "meta", responses(
    (status = 200, description = "The OpenAPI document"),
    (status = 304, description = "The client's copy (`If-None-Match`) is current"),
))]
pub async fn document(headers: HeaderMap) -> Response {
    match &*DOCUMENT {
        Ok(document) => document.respond(&headers, "public, max-age=300"),
        Err(error) => {
            AppError::internal(format!("the OpenAPI document does not serialise: {error}"))
                .into_response()
        }
    }
}

/// Declares the bearer-token scheme of `POST /api/v1/session`.
struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}
