//! The one authorization rule: who may do which action on which record. Every permission of
//! the system — the router's, the services' and the pages' buttons — derives from [`grant`].

use super::{BindingError, Role, Scope, scope_of};

/// Who is acting: their role and what the role is bound to (SPEC "Who uses it").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    pub role: Role,
    /// The rows the account is bound to, as [`scope_of`] decides from its binding.
    pub scope: Scope,
}

impl Principal {
    /// The principal of an account with this role and binding; a binding that does not fit the
    /// role is refused as [`scope_of`] refuses it.
    pub fn new(
        role: Role,
        region: Option<&str>,
        institution: Option<i64>,
        person: Option<i64>,
    ) -> Result<Principal, BindingError> {
        Ok(Principal {
            role,
            scope: scope_of(role, region, institution, person)?,
        })
    }

    fn region(&self) -> Option<&str> {
        match &self.scope {
            Scope::Region(region) => Some(region),
            _ => None,
        }
    }

    fn institution(&self) -> Option<i64> {
        match self.scope {
            Scope::Institution(id) => Some(id),
            _ => None,
        }
    }

    fn person(&self) -> Option<i64> {
        match self.scope {
            Scope::Person(id) => Some(id),
            _ => None,
        }
    }
}

/// Every action of the system: one per thing a route does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Action {
    /// Sign out, see and change one's own account.
    UseOwnAccount,
    /// List the accounts in scope.
    ListUsers,
    /// Create a staff account.
    CreateUser,
    /// Read the audit log.
    ReadAuditLog,
    /// Read the regions' quotas and their use.
    ReadQuotas,
    /// Set a region's quota.
    EditQuotas,
    /// Read the holiday calendar (放假调休) the working days are counted with.
    ReadCalendar,
    /// Add or change a day of the holiday calendar.
    EditCalendar,
    /// List the classes in scope.
    ListClasses,
    /// Open a new class (a draft of the caller's institution).
    OpenClass,
    /// Read a class.
    ReadClass,
    /// Edit a class's draft.
    EditClass,
    /// Submit a class for approval.
    SubmitClass,
    /// Approve a submitted class.
    ApproveClass,
    /// Reject a submitted class with a reason.
    RejectClass,
    /// Start an approved class.
    StartClass,
    /// Finish a running class.
    FinishClass,
    /// Close a finished class.
    CloseClass,
    /// Enrol trainees one by one.
    Enrol,
    /// Import a roster from a workbook.
    ImportRoster,
    /// Download the empty roster workbook.
    DownloadRosterTemplate,
    /// Read or export a class's roster.
    ReadRoster,
    /// Export a class's roster with the full ID numbers and phones (for filing it).
    RevealRoster,
    /// Upload an enrolment's documents (category proofs, photo, commitment letter).
    UploadDocument,
    /// List or download an enrolment's documents.
    ReadDocuments,
    /// Look a person up (and reveal their ID number, audited).
    ReadPerson,
    /// Read a class's attendance ledger.
    ReadAttendance,
    /// Show a session's rotating check-in code in the classroom.
    ShowCheckInCode,
    /// List one's own sessions to check in to.
    ListCheckIns,
    /// Check in to or out of a session.
    CheckIn,
    /// Correct an attendance record with a reason.
    CorrectAttendance,
    /// Watch check-ins live.
    Monitor,
    /// Read the risk flags.
    ReadFlags,
    /// Learn online: the learning page.
    LearnOnline,
    /// Send an online-learning heartbeat.
    Heartbeat,
    /// Answer an online presence check.
    AnswerPresenceCheck,
    /// Read a session's learning material.
    ReadMaterial,
    /// Upload a recording or learning material.
    UploadRecording,
    /// Register a session's recording.
    RegisterRecording,
    /// List, play or download a class's recordings.
    ReadRecordings,
    /// Read a class's completion results.
    ReadCompletion,
    /// Record completion results.
    RecordCompletion,
    /// Issue a class's training certificates.
    IssueTrainingCertificates,
    /// Print a class's certificates and follow the print job.
    PrintClassCertificates,
    /// List the certificates in scope.
    ListCertificates,
    /// Print one certificate or download its signed credential.
    PrintCertificate,
    /// Revoke a certificate.
    RevokeCertificate,
    /// Set one's own institution's certificate number pattern and seal.
    ConfigureInstitution,
    /// List the exam plans in scope.
    ListExamPlans,
    /// Read an exam plan.
    ReadExamPlan,
    /// Propose an exam plan for a finished class.
    ProposeExamPlan,
    /// Agree to a proposed exam plan.
    AgreeExamPlan,
    /// Decline a proposed exam plan with a reason.
    DeclineExamPlan,
    /// Record or import exam scores, or download the score sheet.
    RecordScores,
    /// Issue the level certificates of an exam plan.
    IssueLevelCertificates,
    /// Read one's own continuing-education hours.
    ReadOwnHours,
    /// Read a person's continuing-education hours.
    ReadHours,
    /// List the subsidy claims, payments and clawbacks in scope.
    ListClaims,
    /// Read a subsidy claim with its lines and objections.
    ReadClaim,
    /// Open, submit or withdraw a subsidy claim for a class, or withdraw or claim again a line.
    FileClaim,
    /// Review a submitted claim's lines (the maker of the four eyes).
    ReviewClaim,
    /// Approve a reviewed claim (the checker) and close its public notice.
    ApproveClaim,
    /// Resolve an objection to a line on notice.
    ResolveObjection,
    /// Record a payment to the institution.
    RecordPayment,
    /// Keep the city's fund accounts: allocations and corrections.
    ManageFunds,
    /// Read a region's fund balances.
    ReadFunds,
    /// Open a clawback case, record recoveries, write off what cannot be recovered.
    ManageClawbacks,
    /// List the inspection item lists, draws, inspections and conflict declarations in scope.
    ListInspections,
    /// Read an inspection with its results, findings and attachments.
    ReadInspection,
    /// Keep the city's inspection item list (检查事项清单).
    ManageInspectionItems,
    /// Declare one's own conflict of interest with an inspection target.
    DeclareConflict,
    /// Make a random draw of inspection targets and their inspectors (双随机).
    DrawInspections,
    /// Record an inspection, its checklist results and findings with attachments.
    RecordInspection,
    /// Sign an inspection off as one of its assigned inspectors.
    SignOffInspection,
    /// List the flag reviews, violations, sanctions and complaints in scope.
    ReadSupervision,
    /// Review a risk flag: confirm it (a violation) or dismiss it with a reason.
    ReviewFlag,
    /// Record a violation from a finding.
    RecordViolation,
    /// Impose a sanction for a violation, or lift it.
    ImposeSanction,
    /// Resolve a complaint from the public with its outcome.
    ResolveComplaint,
}

/// What a role is granted for an action: never, always, or when a fact of the record binds
/// it to the principal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grant {
    Never,
    /// Whatever the record (or there is none: a list filtered by scope, one's own account).
    Always,
    /// The record is of the principal's region.
    OwnRegion,
    /// The principal's institution runs the record's class.
    RunsClass,
    /// The principal's institution is the record's exam plan's evaluation institution.
    ExaminesPlan,
    /// The principal's institution examines the record: its exam plan's, or listed for the
    /// occupation of a class past approval.
    ListedEvaluator,
    /// The principal's institution issued the record's certificate.
    Issued,
    /// The record is the principal's own (they are its person, holder, candidate or trainee).
    OwnRecord,
}

/// The facts of the record an action is about; empty where the action has no record (a list).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts {
    /// The region the record belongs to: its class's region.
    pub region: Option<String>,
    /// The training institution running the record's class.
    pub training_institution: Option<i64>,
    /// The evaluation institution of the record's exam plan.
    pub evaluation_institution: Option<i64>,
    /// The evaluation institutions listed for the occupation of a class past approval.
    pub listed_evaluators: Vec<i64>,
    /// The institution that issued the record's certificate.
    pub issuer: Option<i64>,
    /// The people whose own record it is: a class's enrolled trainees, a plan's candidates, a
    /// certificate's holder, the person looked up.
    pub people: Vec<i64>,
}

/// Why an action is refused: a stable code and a sentence for the person.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct Denied {
    pub code: &'static str,
    pub message: String,
}

/// Decides whether `principal` may do `action` on the record with `facts`.
pub fn authorize(principal: &Principal, action: Action, facts: &Facts) -> Result<(), Denied> {
    let institution = principal.institution();
    let allowed = match grant(principal.role, action) {
        Grant::Never => false,
        Grant::Always => true,
        Grant::OwnRegion => {
            principal.region().is_some() && principal.region() == facts.region.as_deref()
        }
        Grant::RunsClass => institution.is_some() && institution == facts.training_institution,
        Grant::ExaminesPlan => institution.is_some() && institution == facts.evaluation_institution,
        Grant::ListedEvaluator => institution.is_some_and(|id| {
            facts.evaluation_institution == Some(id) || facts.listed_evaluators.contains(&id)
        }),
        Grant::Issued => institution.is_some() && institution == facts.issuer,
        Grant::OwnRecord => principal
            .person()
            .is_some_and(|person| facts.people.contains(&person)),
    };
    if allowed {
        Ok(())
    } else {
        Err(denial(principal.role, action, facts))
    }
}

/// Whether `principal` may do `action` on any of the records (a person is in reach when one
/// of their enrolments' classes is).
pub fn authorize_any(
    principal: &Principal,
    action: Action,
    records: &[Facts],
) -> Result<(), Denied> {
    let mut first = None;
    for facts in records {
        match authorize(principal, action, facts) {
            Ok(()) => return Ok(()),
            Err(denied) => {
                first.get_or_insert(denied);
            }
        }
    }
    Err(first.unwrap_or_else(|| denial(principal.role, action, &Facts::default())))
}

impl Action {
    /// Every action, in the order of the enum.
    pub const ALL: [Action; 79] = [
        Action::UseOwnAccount,
        Action::ListUsers,
        Action::CreateUser,
        Action::ReadAuditLog,
        Action::ReadQuotas,
        Action::EditQuotas,
        Action::ReadCalendar,
        Action::EditCalendar,
        Action::ListClasses,
        Action::OpenClass,
        Action::ReadClass,
        Action::EditClass,
        Action::SubmitClass,
        Action::ApproveClass,
        Action::RejectClass,
        Action::StartClass,
        Action::FinishClass,
        Action::CloseClass,
        Action::Enrol,
        Action::ImportRoster,
        Action::DownloadRosterTemplate,
        Action::ReadRoster,
        Action::RevealRoster,
        Action::UploadDocument,
        Action::ReadDocuments,
        Action::ReadPerson,
        Action::ReadAttendance,
        Action::ShowCheckInCode,
        Action::ListCheckIns,
        Action::CheckIn,
        Action::CorrectAttendance,
        Action::Monitor,
        Action::ReadFlags,
        Action::LearnOnline,
        Action::Heartbeat,
        Action::AnswerPresenceCheck,
        Action::ReadMaterial,
        Action::UploadRecording,
        Action::RegisterRecording,
        Action::ReadRecordings,
        Action::ReadCompletion,
        Action::RecordCompletion,
        Action::IssueTrainingCertificates,
        Action::PrintClassCertificates,
        Action::ListCertificates,
        Action::PrintCertificate,
        Action::RevokeCertificate,
        Action::ConfigureInstitution,
        Action::ListExamPlans,
        Action::ReadExamPlan,
        Action::ProposeExamPlan,
        Action::AgreeExamPlan,
        Action::DeclineExamPlan,
        Action::RecordScores,
        Action::IssueLevelCertificates,
        Action::ReadOwnHours,
        Action::ReadHours,
        Action::ListClaims,
        Action::ReadClaim,
        Action::FileClaim,
        Action::ReviewClaim,
        Action::ApproveClaim,
        Action::ResolveObjection,
        Action::RecordPayment,
        Action::ManageFunds,
        Action::ReadFunds,
        Action::ManageClawbacks,
        Action::ListInspections,
        Action::ReadInspection,
        Action::ManageInspectionItems,
        Action::DeclareConflict,
        Action::DrawInspections,
        Action::RecordInspection,
        Action::SignOffInspection,
        Action::ReadSupervision,
        Action::ReviewFlag,
        Action::RecordViolation,
        Action::ImposeSanction,
        Action::ResolveComplaint,
    ];

    /// The roles for which some record would allow the action: what the router admits.
    pub fn roles(self) -> Vec<Role> {
        Role::ALL
            .into_iter()
            .filter(|role| self.admits(*role))
            .collect()
    }

    /// Whether some record would allow a principal of `role` the action.
    pub fn admits(self, role: Role) -> bool {
        grant(role, self) != Grant::Never
    }

    /// Whether the action changes project data (the inspector and the auditor never do; one's
    /// own account is not project data).
    pub fn writes(self) -> bool {
        use Action::*;
        !matches!(
            self,
            UseOwnAccount
                | ListUsers
                | ReadAuditLog
                | ReadQuotas
                | ReadCalendar
                | ListClasses
                | ReadClass
                | DownloadRosterTemplate
                | ReadRoster
                | RevealRoster
                | ReadDocuments
                | ReadPerson
                | ReadAttendance
                | ShowCheckInCode
                | ListCheckIns
                | Monitor
                | ReadFlags
                | LearnOnline
                | ReadMaterial
                | ReadRecordings
                | ReadCompletion
                | PrintClassCertificates
                | ListCertificates
                | PrintCertificate
                | ListExamPlans
                | ReadExamPlan
                | ReadOwnHours
                | ReadHours
                | ListClaims
                | ReadClaim
                | ReadFunds
                | ListInspections
                | ReadInspection
                | ReadSupervision
        )
    }

    /// What the action does, in Chinese, to complete a sentence (“不能审批班期”).
    pub fn label(self) -> &'static str {
        use Action::*;
        match self {
            UseOwnAccount => "管理本人账号",
            ListUsers => "查看账号",
            CreateUser => "创建账号",
            ReadAuditLog => "查看审计日志",
            ReadQuotas => "查看名额",
            EditQuotas => "调整名额",
            ReadCalendar => "查看放假安排",
            EditCalendar => "维护放假安排",
            ListClasses => "查看班期列表",
            OpenClass => "开设班期",
            ReadClass => "查看班期",
            EditClass => "编辑班期",
            SubmitClass => "提交班期",
            ApproveClass => "审批班期",
            RejectClass => "驳回班期",
            StartClass => "开班",
            FinishClass => "结班",
            CloseClass => "关闭班期",
            Enrol => "招收学员",
            ImportRoster => "导入花名册",
            DownloadRosterTemplate => "下载花名册模板",
            ReadRoster => "查看花名册",
            RevealRoster => "导出完整的花名册（含证件号码和手机号码）",
            UploadDocument => "上传学员材料",
            ReadDocuments => "查看学员材料",
            ReadPerson => "查看人员信息",
            ReadAttendance => "查看考勤",
            ShowCheckInCode => "显示签到码",
            ListCheckIns => "查看待签到课次",
            CheckIn => "签到",
            CorrectAttendance => "更正考勤",
            Monitor => "远程监控",
            ReadFlags => "查看风险提示",
            LearnOnline => "在线学习",
            Heartbeat => "记录在线学习",
            AnswerPresenceCheck => "应答在线抽查",
            ReadMaterial => "查看学习资料",
            UploadRecording => "上传录像和学习资料",
            RegisterRecording => "登记录像",
            ReadRecordings => "查看录像",
            ReadCompletion => "查看结业考核",
            RecordCompletion => "录入结业考核",
            IssueTrainingCertificates => "颁发培训合格证书",
            PrintClassCertificates => "打印班期证书",
            ListCertificates => "查看证书",
            PrintCertificate => "打印证书",
            RevokeCertificate => "撤销证书",
            ConfigureInstitution => "设置证书编号规则和印章",
            ListExamPlans => "查看考核计划",
            ReadExamPlan => "查看考核计划",
            ProposeExamPlan => "申请等级考核",
            AgreeExamPlan => "同意考核计划",
            DeclineExamPlan => "拒绝考核计划",
            RecordScores => "录入考核成绩",
            IssueLevelCertificates => "颁发专业技术等级证书",
            ReadOwnHours => "查看本人学时",
            ReadHours => "查看学时",
            ListClaims => "查看补贴申领",
            ReadClaim => "查看补贴申领",
            FileClaim => "申领补贴",
            ReviewClaim => "审核补贴申领",
            ApproveClaim => "复核补贴申领",
            ResolveObjection => "处理公示异议",
            RecordPayment => "登记补贴拨付",
            ManageFunds => "管理补贴资金",
            ReadFunds => "查看补贴资金",
            ManageClawbacks => "办理补贴追回",
            ListInspections => "查看抽查检查",
            ReadInspection => "查看检查记录",
            ManageInspectionItems => "维护检查事项清单",
            DeclareConflict => "申报利益冲突",
            DrawInspections => "随机抽取检查对象",
            RecordInspection => "录入检查结果",
            SignOffInspection => "签字确认检查结果",
            ReadSupervision => "查看违规处理",
            ReviewFlag => "复核风险提示",
            RecordViolation => "认定违规",
            ImposeSanction => "作出或解除处理",
            ResolveComplaint => "处理举报投诉",
        }
    }
}

/// The table: what each role is granted for each action. The one place a permission lives.
pub fn grant(role: Role, action: Action) -> Grant {
    use Action::*;
    use Grant::*;
    use Role::{
        Auditor, CityAdmin, EvaluationInstitution, Inspector, ProvinceAdmin, Trainee,
        TrainingInstitution,
    };
    match (action, role) {
        // Every account signs out, sees itself and changes its own password.
        (UseOwnAccount, _) => Always,
        // MLPS 8.1.4.3 c (三权分立): the audit log is the auditor's alone, and the auditor has
        // nothing else.
        (ReadAuditLog, Auditor) => Always,
        (ReadAuditLog, _) | (_, Auditor) => Never,
        // Accounts: the province creates staff accounts; cities see their region's.
        (ListUsers, ProvinceAdmin | CityAdmin) => Always,
        (CreateUser, ProvinceAdmin) => Always,
        (ListUsers | CreateUser, _) => Never,
        // SPEC "Reference data": the province manages the quotas; cities and the inspector read.
        (ReadQuotas, ProvinceAdmin | CityAdmin | Inspector) => Always,
        (EditQuotas, ProvinceAdmin) => Always,
        (ReadQuotas | EditQuotas, _) => Never,
        // Issue 13 item 2: working days count every deadline with the holiday calendar, so
        // every account (the auditor aside, above) reads it; the province keeps it.
        (ReadCalendar, _) => Always,
        (EditCalendar, ProvinceAdmin) => Always,
        (EditCalendar, _) => Never,
        // Lists: every role but the auditor lists what its scope holds (the store filters).
        (ListClasses | ListCertificates | ListExamPlans, _) => Always,
        // SPEC step 2: an institution opens, edits, submits, starts and finishes its classes.
        (OpenClass, TrainingInstitution) => Always,
        (EditClass | SubmitClass | StartClass | FinishClass, TrainingInstitution) => RunsClass,
        // SPEC step 2: "subsidised classes need the city's approval": the city of the class's
        // region approves or rejects, not the province (which the router used to admit while
        // the workflow refused it).
        (ApproveClass | RejectClass, CityAdmin) => OwnRegion,
        // Closing a finished class: its city or the province (classes::workflow today).
        (CloseClass, CityAdmin) => OwnRegion,
        (CloseClass, ProvinceAdmin) => Always,
        (
            OpenClass | EditClass | SubmitClass | StartClass | FinishClass | ApproveClass
            | RejectClass | CloseClass,
            _,
        ) => Never,
        // SPEC "Who uses it": the province and the inspector read everything, a city its
        // region, an institution its own classes, an evaluation institution the classes it
        // may examine, a trainee their own.
        (ReadClass | ReadAttendance | ReadMaterial, ProvinceAdmin | Inspector) => Always,
        (ReadClass | ReadAttendance | ReadMaterial, CityAdmin) => OwnRegion,
        (ReadClass | ReadAttendance | ReadMaterial, TrainingInstitution) => RunsClass,
        (ReadClass | ReadAttendance | ReadMaterial, EvaluationInstitution) => ListedEvaluator,
        (ReadClass | ReadAttendance | ReadMaterial, Trainee) => OwnRecord,
        // Rosters, documents and completion results: as the class, but not trainees (who see
        // their own enrolment on the class itself).
        (ReadRoster | ReadDocuments | ReadCompletion, ProvinceAdmin | Inspector) => Always,
        (ReadRoster | ReadDocuments | ReadCompletion, CityAdmin) => OwnRegion,
        (ReadRoster | ReadDocuments | ReadCompletion, TrainingInstitution) => RunsClass,
        (ReadRoster | ReadDocuments | ReadCompletion, EvaluationInstitution) => ListedEvaluator,
        (ReadRoster | ReadDocuments | ReadCompletion, _) => Never,
        // SPEC "Personal data ... masked on screens that don't need it in full": the roster is
        // exported in full only by those who file it, the institution running the class and the
        // city of its region; everyone else gets it masked.
        (RevealRoster, TrainingInstitution) => RunsClass,
        (RevealRoster, CityAdmin) => OwnRegion,
        (RevealRoster, _) => Never,
        // SPEC step 3: the institution running the class enrols, imports and files documents.
        (Enrol | ImportRoster | UploadDocument, TrainingInstitution) => RunsClass,
        (DownloadRosterTemplate, TrainingInstitution) => Always,
        (Enrol | ImportRoster | UploadDocument | DownloadRosterTemplate, _) => Never,
        // Persons and their hours: within the scope of one of their classes (SPEC step 8).
        (ReadPerson | ReadHours, ProvinceAdmin | Inspector) => Always,
        (ReadPerson | ReadHours, CityAdmin) => OwnRegion,
        (ReadPerson | ReadHours, TrainingInstitution) => RunsClass,
        (ReadHours, EvaluationInstitution) => ListedEvaluator,
        (ReadPerson | ReadHours, _) => Never,
        (ReadOwnHours, Trainee) => Always,
        (ReadOwnHours, _) => Never,
        // SPEC step 4: the institution shows the rotating code and corrects records with a
        // reason; the trainee checks in and learns online in their own classes.
        (ShowCheckInCode | CorrectAttendance, TrainingInstitution) => RunsClass,
        (ShowCheckInCode | CorrectAttendance, _) => Never,
        (ListCheckIns, Trainee) => Always,
        (CheckIn | LearnOnline | Heartbeat | AnswerPresenceCheck, Trainee) => OwnRecord,
        (ListCheckIns | CheckIn | LearnOnline | Heartbeat | AnswerPresenceCheck, _) => Never,
        // SPEC step 4: city supervisors watch live and see anomalies; the province and the
        // inspector (纪检, read-only) too. The lists are filtered by scope.
        (Monitor | ReadFlags, ProvinceAdmin | CityAdmin | Inspector) => Always,
        (Monitor | ReadFlags, _) => Never,
        // SPEC step 4 (全程录像，可追溯、可查询): the institution running the class registers its
        // recordings; supervisors in scope and the institution replay them.
        (UploadRecording | RegisterRecording, TrainingInstitution) => RunsClass,
        (UploadRecording | RegisterRecording, _) => Never,
        (ReadRecordings, ProvinceAdmin | Inspector) => Always,
        (ReadRecordings, CityAdmin) => OwnRegion,
        (ReadRecordings, TrainingInstitution) => RunsClass,
        (ReadRecordings, _) => Never,
        // SPEC step 5: the institution records completion and issues the training
        // certificates of its class, and prints them.
        (
            RecordCompletion | IssueTrainingCertificates | PrintClassCertificates,
            TrainingInstitution,
        ) => RunsClass,
        (RecordCompletion | IssueTrainingCertificates | PrintClassCertificates, _) => Never,
        // SPEC step 7: a certificate is printed by its issuer, the holder's training
        // institution, the supervising bureaus and the holder; the inspector reads but produces
        // no official document.
        (PrintCertificate, ProvinceAdmin) => Always,
        (PrintCertificate, CityAdmin) => OwnRegion,
        (PrintCertificate, TrainingInstitution) => RunsClass,
        (PrintCertificate, EvaluationInstitution) => Issued,
        (PrintCertificate, Trainee) => OwnRecord,
        (PrintCertificate, _) => Never,
        // SPEC step 7: revocation by the issuing institution, or the province
        // (certificates::may_revoke today).
        (RevokeCertificate, ProvinceAdmin) => Always,
        (RevokeCertificate, TrainingInstitution | EvaluationInstitution) => Issued,
        (RevokeCertificate, _) => Never,
        (ConfigureInstitution, TrainingInstitution | EvaluationInstitution) => Always,
        (ConfigureInstitution, _) => Never,
        // SPEC step 6: the training institution proposes an exam plan for its class; the
        // evaluation institution of the plan agrees or declines, scores and issues the level
        // certificates.
        (ReadExamPlan, ProvinceAdmin | Inspector) => Always,
        (ReadExamPlan, CityAdmin) => OwnRegion,
        (ReadExamPlan, TrainingInstitution) => RunsClass,
        (ReadExamPlan, EvaluationInstitution) => ExaminesPlan,
        (ReadExamPlan, Trainee) => OwnRecord,
        (ProposeExamPlan, TrainingInstitution) => RunsClass,
        (ProposeExamPlan, _) => Never,
        (
            AgreeExamPlan | DeclineExamPlan | RecordScores | IssueLevelCertificates,
            EvaluationInstitution,
        ) => ExaminesPlan,
        (AgreeExamPlan | DeclineExamPlan | RecordScores | IssueLevelCertificates, _) => Never,
        // SPEC step 9: the institution claims for its own classes; the city of the class's
        // region reviews, approves (a second account), resolves objections, pays and claws
        // back; the province and the inspector read every claim, and change none.
        (ListClaims, ProvinceAdmin | CityAdmin | TrainingInstitution | Inspector) => Always,
        (ReadClaim, ProvinceAdmin | Inspector) => Always,
        // Fund balances are read like a list: the province and the inspector any region's, a
        // city its own (the service reads the city's region from its scope).
        (ReadFunds, ProvinceAdmin | Inspector | CityAdmin) => Always,
        (ReadClaim, CityAdmin) => OwnRegion,
        (ReadClaim | FileClaim, TrainingInstitution) => RunsClass,
        (
            ReviewClaim | ApproveClaim | ResolveObjection | RecordPayment | ManageFunds
            | ManageClawbacks,
            CityAdmin,
        ) => OwnRegion,
        (
            ListClaims | ReadClaim | FileClaim | ReviewClaim | ApproveClaim | ResolveObjection
            | RecordPayment | ManageFunds | ReadFunds | ManageClawbacks,
            _,
        ) => Never,
        // The plan's 七（二） (抽查检查) and issue 14 items 3–4: the city keeps its item list,
        // draws, inspects with its own staff and signs off; the province and the inspector (纪检)
        // read every region's and change nothing. Lists are filtered by scope.
        (ListInspections, ProvinceAdmin | Inspector | CityAdmin) => Always,
        (ReadInspection, ProvinceAdmin | Inspector) => Always,
        (
            ReadInspection
            | ManageInspectionItems
            | DeclareConflict
            | DrawInspections
            | RecordInspection
            | SignOffInspection,
            CityAdmin,
        ) => OwnRegion,
        (
            ListInspections
            | ReadInspection
            | ManageInspectionItems
            | DeclareConflict
            | DrawInspections
            | RecordInspection
            | SignOffInspection,
            _,
        ) => Never,
        // SPEC step 10 and issue 14 items 5-7: the city of the region reviews its flags,
        // records violations, resolves complaints and imposes sanctions; the province imposes
        // too (and alone suspends or removes from the catalog: dte_domain::supervision); the
        // province and the inspector read everything, an institution what is about it (the
        // store filters; complaints are never shown to the institution complained about).
        (ReadSupervision, ProvinceAdmin | Inspector | CityAdmin | TrainingInstitution) => Always,
        (ReviewFlag | RecordViolation | ImposeSanction | ResolveComplaint, CityAdmin) => OwnRegion,
        (ImposeSanction, ProvinceAdmin) => Always,
        (ReadSupervision | ReviewFlag | RecordViolation | ImposeSanction | ResolveComplaint, _) => {
            Never
        }
    }
}

fn denial(role: Role, action: Action, facts: &Facts) -> Denied {
    let label = action.label();
    let (code, message) = match grant(role, action) {
        Grant::Never | Grant::Always => {
            ("role_not_allowed", format!("{}不能{label}", role.label()))
        }
        Grant::OwnRegion => (
            "other_region",
            match &facts.region {
                Some(region) => format!("只有所在地区（{region}）的市人社局可以{label}"),
                None => format!("只有所在地区的市人社局可以{label}"),
            },
        ),
        Grant::RunsClass => (
            "not_running_institution",
            format!("只有开班的培训机构可以{label}"),
        ),
        Grant::ExaminesPlan => (
            "not_examining_institution",
            format!("只有考核计划的评价机构可以{label}"),
        ),
        Grant::ListedEvaluator => (
            "not_listed_evaluator",
            format!("只有承担该职业考核的评价机构可以{label}"),
        ),
        Grant::Issued => ("not_issuer", format!("只有颁发该证书的机构可以{label}")),
        Grant::OwnRecord => ("not_own_record", format!("只有学员本人可以{label}")),
    };
    Denied { code, message }
}

#[cfg(test)]
#[path = "authorize_tests.rs"]
mod tests;
