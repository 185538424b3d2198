/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
/** Admit a patient to a bed. */
export type AdmitPatientInput = {
  /** The kind of bed to take. */
  bedKind: BedKind;
  /** The bed kind follows the patient's tier (tier 1 GENERAL, tier 2 OXYGEN, tier 3 ICU). A clinician may place the patient in another kind by saying why (10 to 500 characters); recorded on the admission. */
  bedKindOverrideReason?: string | null | undefined;
  /** The facility. */
  facilityId: string | number;
  /** Retries with the same key (8 to 128 characters) and the same input return the first result instead of admitting twice; the same key with another input is a ConflictError. */
  idempotencyKey?: string | null | undefined;
  /** The patient (registered in the patients subgraph). */
  patientId: string | number;
};

/** Kind of bed, by the care it supports. */
export type BedKind =
  /** Ordinary bed for mild cases (tier 1). */
  | 'GENERAL'
  /** Intensive-care bed with ventilation capacity for severe and critical cases (tier 3). */
  | 'ICU'
  /** Bed with oxygen supply for moderate cases (tier 2). */
  | 'OXYGEN';

/** Move a patient to another tier. */
export type ChangeTierInput = {
  /** With to: TIER_3 only: whether the patient is critical (nguy kịch). Leaving tier 3 ends critical status. */
  critical?: boolean | null | undefined;
  /** The patient. */
  patientId: string | number;
  /** Why (3 to 500 characters). */
  reason: string;
  /** The new tier; must differ from the current one. */
  to: TreatmentTier;
};

/** How the infection was confirmed. */
export type ConfirmationMethod =
  /** RT-PCR test. */
  | 'PCR'
  /** Rapid antigen test, accepted for confirmation from early 2022. */
  | 'RAPID_ANTIGEN';

/** How an admission ended. */
export type DischargeOutcome =
  /** Died in the facility. */
  | 'DECEASED'
  /** Recovered and released from treatment. */
  | 'RECOVERED'
  /** Moved to another facility or bed kind (set by transferPatient, not by a discharge). */
  | 'TRANSFERRED'
  /** Improved and sent home to continue treatment there (home care). */
  | 'TRANSFERRED_HOME';

/** End an admission and free its bed. */
export type DischargePatientInput = {
  /** The active admission. */
  admissionId: string | number;
  /** How it ended (not TRANSFERRED: use transferPatient). */
  outcome: DischargeOutcome;
};

/** A medicine package to give; eligibility is checked. */
export type DispenseMedicineInput = {
  /** Written consent obtained (required for C). */
  consent?: boolean | null | undefined;
  /** A doctor ordered it (required for B). */
  doctorOrder?: boolean | null | undefined;
  /** Retry-safe key (8 to 128 characters): the same key and input dispense once. */
  idempotencyKey?: string | null | undefined;
  /** Reference of the doctor's order (required for C, molnupiravir). */
  orderReference?: string | null | undefined;
  /** A, B or C. */
  package: MedicinePackage;
  /** The patient. */
  patientId: string | number;
  /** The prescribing doctor (required for C). */
  prescriber?: string | null | undefined;
  /** The patient was screened (required for C). */
  screened?: boolean | null | undefined;
  /** The station whose stock it comes from: one package is taken from it in the same transaction (OutOfStock when none is left). Jurisdiction over the station is needed too. Without it, the package comes from the one place of the patient's ward that keeps it; when no place or several do, a ValidationError asks for it. */
  stationId?: string | number | null | undefined;
};

/** Kind of district-level unit. */
export type DistrictKind =
  /** Huyện: rural district. */
  | 'RURAL_DISTRICT'
  /** Thị xã: district-level town (Sơn Tây). */
  | 'TOWN'
  /** Quận: urban district. */
  | 'URBAN_DISTRICT';

/** Which dose of a person’s schedule. */
export type DoseKind =
  /** Additional dose for the immunocompromised (mũi bổ sung), at least 28 days after the primary series. */
  | 'ADDITIONAL'
  /** Booster dose (mũi nhắc lại), at least 3 months after the last dose. */
  | 'BOOSTER'
  /** First dose of the primary series (mũi 1). */
  | 'PRIMARY_1'
  /** Second dose of the primary series (mũi 2). */
  | 'PRIMARY_2'
  /** Third primary dose, for three-dose vaccines (Abdala). */
  | 'PRIMARY_3';

/** Colour of a level on the city’s maps. */
export type EpidemicLevelColour =
  /** Level 1: low risk (new normal). */
  | 'GREEN'
  /** Level 3: high risk. */
  | 'ORANGE'
  /** Level 4: very high risk. */
  | 'RED'
  /** Level 2: medium risk. */
  | 'YELLOW';

/** Kind of facility, as the city directives name them. */
export type FacilityKind =
  /** Cơ sở thu dung, điều trị F0: collection and treatment site for F0, run by a district or by the city. */
  | 'COLLECTION_SITE'
  /** Trạm y tế: the ward or commune health station; manages F0 treated at home. */
  | 'HEALTH_STATION'
  /** Hospital (district, city or central level; public or private). */
  | 'HOSPITAL'
  /** Trạm y tế lưu động: mobile health station, planned per population and epidemic level, kept on standby and activated on command. */
  | 'MOBILE_HEALTH_STATION'
  /** Khu cách ly tập trung: concentrated quarantine area. */
  | 'QUARANTINE_AREA';

/** Administrative level that runs the facility. */
export type FacilityLevel =
  /** Central (national) hospital located in Hanoi. */
  | 'CENTRAL'
  /** Run by the city (Hanoi Department of Health). */
  | 'CITY'
  /** Run by a district (quận, huyện, thị xã). */
  | 'DISTRICT'
  /** Run by a ward or commune. */
  | 'WARD';

/** Operational status. Only ACTIVE facilities admit patients and count in capacity roll-ups. */
export type FacilityStatus =
  /** Operating and admitting patients. */
  | 'ACTIVE'
  /** Closed. */
  | 'CLOSED'
  /** Planned, not yet equipped or staffed. */
  | 'PLANNED'
  /** Equipped and staffed, on standby; activated on command. */
  | 'STANDBY';

/** How a citizen asked for help. */
export type HelpChannel =
  /** The city hotline 1022. */
  | 'HOTLINE_1022'
  /** A partner app (a citizen app or a hotline operator) on the citizen's behalf, with their consent. */
  | 'PARTNER_APP'
  /** The ward health station's phone. */
  | 'PHONE'
  /** In person at the station. */
  | 'WALK_IN'
  /** A ward Zalo group or the Zalo hotline. */
  | 'ZALO';

/** The citizen's consent to have their request, name and phone passed to the ward health station. */
export type HelpConsentInput = {
  /** When the citizen agreed. */
  at: string;
  /** The citizen agreed; false is refused. */
  given: boolean;
  /** The words the citizen agreed to (1 to 2000 characters). */
  text: string;
  /** Version of that text in the partner's app (1 to 32 characters). */
  version: string;
};

/** What a citizen asking for help needs most. */
export type HelpNeed =
  /** Shortness of breath or low SpO2: urgent. */
  | 'BREATHING'
  /** Food or necessities while isolated. */
  | 'FOOD'
  /** A doctor's advice or visit (fever, symptoms, a question about treatment). */
  | 'MEDICAL'
  /** A medicine package or a refill. */
  | 'MEDICINE'
  /** Anything else (described in the message). */
  | 'OTHER'
  /** Transport to a facility. */
  | 'TRANSPORT';

/** Where a help request stands. */
export type HelpRequestState =
  /** A health worker has answered; not yet closed. */
  | 'ACKNOWLEDGED'
  /** Closed with an outcome. */
  | 'CLOSED'
  /** Unanswered past the time limit: escalated to the district, still waiting for a first answer. */
  | 'ESCALATED'
  /** Waiting for the ward station's first answer. */
  | 'OPEN';

/** Where a home-vaccination request stands. */
export type HomeVaccinationStatus =
  /** Open and given to a home-vaccination team. */
  | 'ASSIGNED'
  /** Closed without a dose, with a reason. */
  | 'CANCELLED'
  /** Closed: a dose was recorded for the resident. */
  | 'DONE'
  /** Open, not yet given to a team. */
  | 'WAITING';

/** Hanoi's home-treatment medicine packages. */
export type MedicinePackage =
  /** Symptomatic treatment (fever reducer, vitamins): any patient. */
  | 'A'
  /** Anti-inflammatory and anticoagulant: only on a doctor's order. */
  | 'B'
  /** Molnupiravir (antiviral): adults, not pregnant, after screening and with consent. */
  | 'C';

/** Why a bed count changed. */
export type OccupancyChangeCause =
  /** A patient was admitted. */
  | 'ADMISSION'
  /** Beds were added or removed, or the facility changed status. */
  | 'CAPACITY_CHANGE'
  /** A patient was discharged. */
  | 'DISCHARGE'
  /** A quarantine order in a concentrated quarantine area ended, freeing its place. */
  | 'QUARANTINE_END'
  /** A quarantine order placed a contact in a concentrated quarantine area (its places are its GENERAL beds). */
  | 'QUARANTINE_START'
  /** A patient arrived by transfer. */
  | 'TRANSFER_IN'
  /** A patient left by transfer. */
  | 'TRANSFER_OUT';

/** Who owns the facility. */
export type Ownership =
  /** Private facility mobilised for the response. */
  | 'PRIVATE'
  /** Public facility. */
  | 'PUBLIC';

/** Course of a case. */
export type PatientStatus =
  /** Died. */
  | 'DECEASED'
  /** Recovered; treatment ended. */
  | 'RECOVERED'
  /** Confirmed and under treatment (F0). */
  | 'UNDER_TREATMENT';

/** Supplies received at a place. */
export type ReceiveStockInput = {
  /** The station or facility. */
  facilityId: string | number;
  /** Retry-safe key (8 to 128 characters): the same key and input records the movement once. */
  idempotencyKey?: string | null | undefined;
  /** The item. */
  item: SupplyItem;
  /** How many arrived (1 to 100,000). */
  quantity: number;
  /** Why (supplier and delivery note, recount finding, …). */
  reason: string;
};

/** A daily check. */
export type RecordDailyCheckInput = {
  /** When the check was made; not in the future. */
  at: string;
  /** Tier-3 patients only: true when the clinician judges the patient critical (nguy kịch), false when no longer; absent leaves it as it was. Counted in treatmentSnapshot.critical. */
  critical?: boolean | null | undefined;
  /** Diastolic blood pressure, mmHg. */
  diastolic?: number | null | undefined;
  /** Pulse per minute. */
  heartRate?: number | null | undefined;
  /** The patient. */
  patientId: string | number;
  /** Breaths per minute. */
  respiratoryRate?: number | null | undefined;
  /** SpO2 percent (50 to 100). */
  spo2: number;
  /** Symptoms reported. */
  symptoms?: Array<Symptom> | null | undefined;
  /** Systolic blood pressure, mmHg. */
  systolic?: number | null | undefined;
  /** Temperature °C (30 to 45). */
  temperatureC?: number | null | undefined;
};

/** A dose given. */
export type RecordDoseInput = {
  /** When; not in the future. */
  administeredAt: string;
  /** Given at home by a home-vaccination team. Any dose closes the resident’s open home-vaccination request. */
  atHome?: boolean | null | undefined;
  /** Which dose. */
  dose: DoseKind;
  /** Retries with the same key (8 to 128 characters) and the same input return the first record; the same key with any other input is a ConflictError. */
  idempotencyKey?: string | null | undefined;
  /** Lot number (1 to 50 characters). */
  lot?: string | null | undefined;
  /** Citizen ID of the resident. */
  nationalId: string;
  /** The mobile vaccination session it was given in: the dose must fall in its hours, be of its vaccine, at a point in your jurisdiction; it counts in the session’s dosesGiven. */
  sessionId?: string | number | null | undefined;
  /** Facility where it was given (one the facilities subgraph knows); null when given at home or in a mobile session. */
  siteFacilityId?: string | number | null | undefined;
  /** Vaccine given. */
  vaccine: Vaccine;
};

/** Where a referral between tiers stands. */
export type ReferralStatus =
  /** The offered facility accepted the patient; waiting for the admission. */
  | 'ACCEPTED'
  /** The patient was admitted to a facility that treats the tier (ends the referral). */
  | 'ADMITTED'
  /** Ended without admission: by a clinician with a reason, a tier change downward or the case closing. */
  | 'CANCELLED'
  /** Ended without admission: requested or offered and left without progress past the time limit. */
  | 'EXPIRED'
  /** A facility that treats the tier, with a free bed of the kind it needs, was offered. */
  | 'OFFERED'
  /** The patient needs a bed of a higher tier; no facility offered yet. */
  | 'REQUESTED';

/** A newly confirmed case. */
export type RegisterPatientInput = {
  /** Home address (3 to 300 characters). */
  address: string;
  /** PCR or rapid antigen. */
  confirmation: ConfirmationMethod;
  /** When the infection was confirmed; not in the future, not before birth. */
  confirmedAt: string;
  /** Date of birth; not in the future. */
  dateOfBirth: string;
  /** Full name (2 to 100 characters). */
  fullName: string;
  /** Retries with the same key (8 to 128 characters) and the same input return the first result; the same key with any other input is a ConflictError. */
  idempotencyKey?: string | null | undefined;
  /** 12-digit citizen identity number (CCCD); optional for children. */
  nationalId?: string | null | undefined;
  /** Vietnamese mobile number, e.g. 0912345678 or +84912345678. */
  phone?: string | null | undefined;
  /** Known risk factors; age factors are added from the date of birth. */
  riskFactors?: Array<RiskFactor> | null | undefined;
  /** Sex. */
  sex: Sex;
  /** Initial tier. */
  tier: TreatmentTier;
  /** Ward of residence (official code). */
  wardCode: string | number;
};

/** A figure of the computed report the ward corrects. */
export type ReportCorrectionInput = {
  /** Which figure. */
  figure: ReportFigure;
  /** The value the ward reports (0 or more). */
  value: number;
};

/** A figure of the daily report a ward may correct (the fields of DailyReport of the same name). */
export type ReportFigure =
  /** DailyReport.active. */
  | 'ACTIVE'
  /** DailyReport.activeTier1. */
  | 'ACTIVE_TIER_1'
  /** DailyReport.activeTier2. */
  | 'ACTIVE_TIER_2'
  /** DailyReport.activeTier3. */
  | 'ACTIVE_TIER_3'
  /** DailyReport.atHome. */
  | 'AT_HOME'
  /** DailyReport.deaths. */
  | 'DEATHS'
  /** DailyReport.helpRequestsAnswered. */
  | 'HELP_REQUESTS_ANSWERED'
  /** DailyReport.helpRequestsOpened. */
  | 'HELP_REQUESTS_OPENED'
  /** DailyReport.inFacilities. */
  | 'IN_FACILITIES'
  /** DailyReport.newCases. */
  | 'NEW_CASES'
  /** DailyReport.recoveries. */
  | 'RECOVERIES'
  /** DailyReport.tierDeescalations. */
  | 'TIER_DEESCALATIONS'
  /** DailyReport.tierEscalations. */
  | 'TIER_ESCALATIONS';

/** A partner app asking for help on a citizen's behalf. */
export type RequestHelpInput = {
  /** How the citizen reached the partner; PARTNER_APP when absent (HOTLINE_1022 for the hotline). */
  channel?: HelpChannel | null | undefined;
  /** Name of the citizen (1 to 100 characters). */
  citizenName: string;
  /** The citizen's consent; required. */
  consent: HelpConsentInput;
  /** Retries with the same key (8 to 128 characters) and the same input return the first receipt; the same key with any other input is a ConflictError. */
  idempotencyKey: string;
  /** What the citizen needs, in their words (1 to 2000 characters). */
  message: string;
  /** What the citizen needs most. */
  need: HelpNeed;
  /** Vietnamese mobile number to call the citizen back. */
  phone: string;
  /** Ward where the citizen is: the request goes to its health station. */
  wardCode: string | number;
};

/** Factors for severe disease (Decision 261/QĐ-BYT). Age factors are derived from the date of birth. */
export type RiskFactor =
  /** Aged 50 or over (derived). */
  | 'AGE_50_PLUS'
  /** Aged 65 or over (derived). */
  | 'AGE_65_PLUS'
  /** Under 16: follows the paediatric home-care guidance (derived). */
  | 'CHILD'
  /** Chronic disease: diabetes, hypertension, heart, lung, kidney or liver disease, cancer, obesity, immunosuppression. */
  | 'COMORBIDITY'
  /** Pregnant. */
  | 'PREGNANCY'
  /** Not fully vaccinated. */
  | 'UNVACCINATED';

/** Sex as recorded on the citizen ID. */
export type Sex =
  /** Female. */
  | 'FEMALE'
  /** Male. */
  | 'MALE';

/** A ward station's daily report: the computed report of its ward confirmed as it is (no corrections), or with corrected figures and a reason. */
export type SubmitDailyReportInput = {
  /** Figures the ward corrects, each at most once; none (the default) confirms the computed report. */
  corrections?: Array<ReportCorrectionInput> | null | undefined;
  /** The day reported (city date), not in the future; due by 07:00 (Hà Nội) the next morning. */
  date: string;
  /** Chosen by the client for this submission (8 to 128 characters): sending it again returns the same submission; with other input it is a ConflictError. */
  idempotencyKey: string;
  /** Why the figures were corrected (required with corrections; at most 1000 characters). */
  reason?: string | null | undefined;
  /** The ward whose report it is. */
  wardCode: string | number;
};

/** Supplies kept in stock at stations and other facilities. */
export type SupplyItem =
  /** Medicine package A (symptomatic treatment). */
  | 'MEDICINE_PACKAGE_A'
  /** Medicine package B (anti-inflammatory and anticoagulant, on a doctor's order). */
  | 'MEDICINE_PACKAGE_B'
  /** Medicine package C (molnupiravir, on a doctor's order). */
  | 'MEDICINE_PACKAGE_C'
  /** Oxygen concentrators (an "oxygen ATM" is a place holding them). */
  | 'OXYGEN_CONCENTRATOR'
  /** Oxygen cylinders. */
  | 'OXYGEN_CYLINDER'
  /** Rapid antigen test kits. */
  | 'RAPID_TEST_KIT';

/** Symptoms reported in a daily check. */
export type Symptom =
  /** Confusion, lethargy or stupor (a warning sign). */
  | 'ALTERED_CONSCIOUSNESS'
  /** Shortness of breath (a warning sign). */
  | 'BREATHLESSNESS'
  /** Chest indrawing in children (a warning sign). */
  | 'CHEST_INDRAWING'
  /** Chest pain or tightness (a warning sign). */
  | 'CHEST_PAIN'
  /** Convulsions (a warning sign). */
  | 'CONVULSIONS'
  /** Cough. */
  | 'COUGH'
  /** Bluish lips or fingertips (a warning sign). */
  | 'CYANOSIS'
  /** Diarrhoea. */
  | 'DIARRHOEA'
  /** Fatigue. */
  | 'FATIGUE'
  /** Fever. */
  | 'FEVER'
  /** Headache. */
  | 'HEADACHE'
  /** Loss of smell or taste. */
  | 'LOSS_OF_SMELL_OR_TASTE'
  /** Muscle pain. */
  | 'MUSCLE_PAIN'
  /** Sore throat. */
  | 'SORE_THROAT'
  /** Child unable to drink or breastfeed (a warning sign). */
  | 'UNABLE_TO_DRINK';

/** Treatment tier of a COVID-19 case under the Ministry of Health guidance (tầng điều trị). */
export type TreatmentTier =
  /** Tầng 1: mild or asymptomatic; about 95 % of cases, mostly treated at home. */
  | 'TIER_1'
  /** Tầng 2: moderate; needs oxygen-capable beds. */
  | 'TIER_2'
  /** Tầng 3: severe or critical; needs intensive care. */
  | 'TIER_3';

/** The COVID-19 vaccines used in Viet Nam. */
export type Vaccine =
  /** Abdala: 3-dose primary series, 14 days apart; booster from 90 days after the last dose. */
  | 'ABDALA'
  /** AstraZeneca (Vaxzevria): 2-dose primary series, 28 days apart; booster from 90 days after the last dose. */
  | 'ASTRAZENECA'
  /** Hayat-Vax: 2-dose primary series, 21 days apart; booster from 90 days after the last dose. */
  | 'HAYAT_VAX'
  /** Janssen (Johnson & Johnson): 1-dose primary series; booster from 60 days after the last dose. */
  | 'JANSSEN'
  /** Moderna (Spikevax): 2-dose primary series, 28 days apart; booster from 90 days after the last dose. */
  | 'MODERNA'
  /** Pfizer-BioNTech (Comirnaty): 2-dose primary series, 21 days apart; booster from 90 days after the last dose. */
  | 'PFIZER_BIONTECH'
  /** Sinopharm (Vero Cell): 2-dose primary series, 21 days apart; booster from 90 days after the last dose. */
  | 'SINOPHARM_VERO_CELL'
  /** Sputnik V: 2-dose primary series, 21 days apart; booster from 90 days after the last dose. */
  | 'SPUTNIK_V';

/** A warning sign of the Ministry of Health guidance for home care (Decisions 261 and 405/QĐ-BYT). */
export type WarningSign =
  /** Altered consciousness. */
  | 'ALTERED_CONSCIOUSNESS'
  /** Pulse below 50/min. */
  | 'BRADYCARDIA'
  /** Shortness of breath. */
  | 'BREATHLESSNESS'
  /** Chest indrawing (children). */
  | 'CHEST_INDRAWING'
  /** Chest pain or tightness. */
  | 'CHEST_PAIN'
  /** Convulsions. */
  | 'CONVULSIONS'
  /** Cyanosis. */
  | 'CYANOSIS'
  /** Respiratory rate at or above the threshold for the age (adults 20/min; children 60, 50, 40 or 30/min by age). */
  | 'FAST_BREATHING'
  /** Blood pressure below 90/60 mmHg. */
  | 'HYPOTENSION'
  /** SpO2 at or below 96 %. */
  | 'LOW_SPO2'
  /** Respiratory rate below 10/min (critical). */
  | 'SLOW_BREATHING'
  /** Pulse above 120/min. */
  | 'TACHYCARDIA'
  /** Unable to drink or feed (children). */
  | 'UNABLE_TO_DRINK';

export type DashboardCityQueryVariables = Exact<{ [key: string]: never; }>;


export type DashboardCityQuery = { districts: Array<{ code: string, name: string, capacity: { total: number, occupied: number, available: number, occupancyRate: number, byKind: Array<{ kind: BedKind, total: number, occupied: number, available: number }> }, cases: { active: number, byTier: Array<{ tier: TreatmentTier, count: number }> }, epidemicLevel: { level: number, colour: EpidemicLevelColour, name: string, assessedAt: string } }> };

export type DashboardTiersSubscriptionVariables = Exact<{
  district?: string | number | null | undefined;
}>;


export type DashboardTiersSubscription = { tierChanged: { from: TreatmentTier, to: TreatmentTier, reason: string | null, at: string, patient: { caseCode: string, ward: { code: string, name: string } } } };

export type DashboardTrendsQueryVariables = Exact<{
  district: string | number;
  days?: number | null | undefined;
}>;


export type DashboardTrendsQuery = { cityTrends: { id: string, cases: Array<{ date: string, newCases: number, active: number, byTier: Array<{ tier: TreatmentTier, count: number }> }>, occupancy: Array<{ date: string, occupied: number, byKind: Array<{ kind: BedKind, occupied: number }> }> }, district: { code: string, name: string, trends: { id: string, cases: Array<{ date: string, newCases: number, active: number, byTier: Array<{ tier: TreatmentTier, count: number }> }>, occupancy: Array<{ date: string, occupied: number, byKind: Array<{ kind: BedKind, occupied: number }> }> } } | null };

export type DashboardTrendFragment = { id: string, cases: Array<{ date: string, newCases: number, active: number, byTier: Array<{ tier: TreatmentTier, count: number }> }>, occupancy: Array<{ date: string, occupied: number, byKind: Array<{ kind: BedKind, occupied: number }> }> };

export type DashboardHelpQueryVariables = Exact<{
  district: string | number;
}>;


export type DashboardHelpQuery = { district: { code: string, name: string, helpDesk: { medianFirstResponseSeconds: number | null, p90FirstResponseSeconds: number | null, open: number, unacknowledged: number, escalated: number, oldestUnacknowledgedAt: string | null }, wards: Array<{ code: string, name: string, helpDesk: { open: number, unacknowledged: number, escalated: number, oldestUnacknowledgedAt: string | null } }> } | null };

export type DashboardHelpDeskFragment = { open: number, unacknowledged: number, escalated: number, oldestUnacknowledgedAt: string | null };

export type DashboardHelpChangesSubscriptionVariables = Exact<{
  district?: string | number | null | undefined;
}>;


export type DashboardHelpChangesSubscription = { helpRequestChanged: { id: string, status: HelpRequestState } };

export type CapacityBoardQueryVariables = Exact<{
  district: string | number;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type CapacityBoardQuery = { facilities: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, name: string, kind: FacilityKind, level: FacilityLevel, ownership: Ownership, status: FacilityStatus, servesTiers: Array<TreatmentTier>, ward: { code: string, name: string }, beds: Array<{ kind: BedKind, total: number, covidDesignated: number, occupied: number, available: number }> } }> } };

export type FindBedQueryVariables = Exact<{
  ward: string | number;
  tier: TreatmentTier;
  bedKind?: BedKind | null | undefined;
}>;


export type FindBedQuery = { bedFinder: Array<{ bedKind: BedKind, available: number, facility: { id: string, name: string, kind: FacilityKind, district: { code: string, name: string } } }> };

export type CityOverviewQueryVariables = Exact<{ [key: string]: never; }>;


export type CityOverviewQuery = { districts: Array<{ code: string, name: string, kind: DistrictKind, population: number, capacity: { total: number, occupied: number, available: number, occupancyRate: number, byKind: Array<{ kind: BedKind, total: number, occupied: number, available: number }> }, cases: { active: number, atHome: number, inFacilities: number, newLast7Days: number, newPer100kLast7Days: number | null, byTier: Array<{ tier: TreatmentTier, count: number }> }, vaccination: { population: number, dose1Coverage: number, dose2Coverage: number, boosterCoverage: number, over50WithoutDose1: number }, workforce: { workers: number, homeCareWorkers: number, unassignedHomePatients: number, homePatientsPerCareWorker: number | null }, epidemicLevel: { level: number, assessedAt: string } }> };

export type LiveBedsSubscriptionVariables = Exact<{
  district?: string | number | null | undefined;
}>;


export type LiveBedsSubscription = { bedOccupancyChanged: { bedKind: BedKind, total: number, occupied: number, available: number, cause: OccupancyChangeCause, at: string, facility: { id: string, name: string, district: { code: string, cases: { active: number } } } } };

export type LiveTiersSubscriptionVariables = Exact<{
  district?: string | number | null | undefined;
}>;


export type LiveTiersSubscription = { tierChanged: { from: TreatmentTier, to: TreatmentTier, reason: string | null, at: string, patient: { id: string, tier: TreatmentTier, ward: { code: string }, admission: { facility: { id: string, name: string } } | null } } };

export type RegisterPatientMutationVariables = Exact<{
  input: RegisterPatientInput;
}>;


export type RegisterPatientMutation = { registerPatient:
    | { __typename: 'ConflictError', code: string, message: string }
    | { __typename: 'DuplicateActiveCase', code: string, message: string }
    | { __typename: 'RegisterPatientSuccess', patient: { id: string, caseCode: string, tier: TreatmentTier, status: PatientStatus, ward: { code: string } } }
    | { __typename: 'ValidationError', code: string, message: string, fields: Array<{ path: Array<string>, message: string }> }
   };

export type RecordDailyCheckMutationVariables = Exact<{
  input: RecordDailyCheckInput;
}>;


export type RecordDailyCheckMutation = { recordDailyCheck:
    | { __typename: 'NotFoundError', code: string, message: string }
    | { __typename: 'PatientNotUnderTreatment', code: string, message: string }
    | { __typename: 'RecordDailyCheckSuccess', check: { at: string, spo2: number, warningSigns: Array<WarningSign>, needsEscalation: boolean } }
    | { __typename: 'ValidationError', code: string, message: string }
   };

export type ChangeTierMutationVariables = Exact<{
  input: ChangeTierInput;
}>;


export type ChangeTierMutation = { changeTier:
    | { __typename: 'ChangeTierSuccess', patient: { id: string, tier: TreatmentTier, tierHistory: Array<{ from: TreatmentTier, to: TreatmentTier, reason: string | null, at: string }> } }
    | { __typename: 'InvalidTierTransition', code: string, message: string }
    | { __typename: 'NotFoundError', code: string, message: string }
    | { __typename: 'PatientNotUnderTreatment', code: string, message: string }
    | { __typename: 'ValidationError', code: string, message: string }
   };

export type AdmitPatientMutationVariables = Exact<{
  input: AdmitPatientInput;
}>;


export type AdmitPatientMutation = { admitPatient:
    | { __typename: 'AdmitPatientSuccess', admission: { id: string, bedKind: BedKind, admittedAt: string, facility: { id: string, beds: Array<{ kind: BedKind, occupied: number, available: number }> }, patient: { id: string } } }
    | { __typename: 'BedKindNotForTier', code: string, message: string }
    | { __typename: 'BedKindNotOffered', code: string, message: string }
    | { __typename: 'ConflictError', code: string, message: string }
    | { __typename: 'FacilityNotAdmitting', code: string, message: string }
    | { __typename: 'NoBedAvailable', code: string, message: string, facilityId: string, bedKind: BedKind }
    | { __typename: 'NotATreatmentFacility', code: string, message: string }
    | { __typename: 'NotFoundError', code: string, message: string }
    | { __typename: 'PatientAlreadyAdmitted', code: string, message: string }
    | { __typename: 'PatientNotUnderTreatment', code: string, message: string }
    | { __typename: 'TierNotServed', code: string, message: string }
    | { __typename: 'ValidationError', code: string, message: string }
   };

export type DischargePatientMutationVariables = Exact<{
  input: DischargePatientInput;
}>;


export type DischargePatientMutation = { dischargePatient:
    | { __typename: 'AdmissionAlreadyEnded', code: string, message: string }
    | { __typename: 'DischargePatientSuccess', admission: { id: string, dischargedAt: string | null, outcome: DischargeOutcome | null } }
    | { __typename: 'NotFoundError', code: string, message: string }
    | { __typename: 'ValidationError', code: string, message: string }
   };

export type RecordDoseMutationVariables = Exact<{
  input: RecordDoseInput;
}>;


export type RecordDoseMutation = { recordDose:
    | { __typename: 'ConflictError', code: string, message: string }
    | { __typename: 'DoseOutOfOrder', code: string, message: string }
    | { __typename: 'DoseOutsideSession', code: string, message: string }
    | { __typename: 'DoseTooSoon', code: string, message: string }
    | { __typename: 'DuplicateDose', code: string, message: string }
    | { __typename: 'NotFoundError', code: string, message: string }
    | { __typename: 'RecordDoseSuccess', record: { id: string, dose: DoseKind, vaccine: Vaccine, administeredAt: string } }
    | { __typename: 'SessionOutsideJurisdiction', code: string, message: string }
    | { __typename: 'ValidationError', code: string, message: string }
   };

export type TreatmentSnapshotQueryVariables = Exact<{
  district?: string | number | null | undefined;
  date?: string | null | undefined;
}>;


export type TreatmentSnapshotQuery = { treatmentSnapshot: { date: string, underTreatment: number, atHome: number, districtCollectionSites: number, cityCollectionSites: number, hospitals: number, centralHospitals: number, critical: number, byTier: Array<{ tier: TreatmentTier, count: number }> } };

export type OpenReferralsQueryVariables = Exact<{
  hours: number;
  district?: string | number | null | undefined;
}>;


export type OpenReferralsQuery = { openReferrals: { olderThanHours: number, count: number, oldestRequestedAt: string | null, byStatus: Array<{ status: ReferralStatus, count: number }>, byWard: Array<{ count: number, oldestRequestedAt: string, ward: { code: string, name: string } }> } };

export type SubmitDailyReportMutationVariables = Exact<{
  input: SubmitDailyReportInput;
}>;


export type SubmitDailyReportMutation = { submitDailyReport:
    | { __typename: 'ConflictError', code: string, message: string }
    | { __typename: 'SubmitDailyReportSuccess', submission: { id: string, wardCode: string, date: string, submittedAt: string, deadline: string, onTime: boolean, minutesLate: number, onBehalf: boolean, confirmedComputed: boolean, reason: string | null, figures: Array<{ figure: ReportFigure, computed: number, reported: number, corrected: boolean }> } }
    | { __typename: 'ValidationError', code: string, message: string, fields: Array<{ path: Array<string>, message: string }> }
   };

export type ReportDutyQueryVariables = Exact<{
  date: string;
}>;


export type ReportDutyQuery = { cityReportDuty: { date: string, deadline: string, wards: number, onTime: number, late: number, missing: number, pending: number, districts: Array<{ districtCode: string | null, wards: number, onTime: number, late: number, missing: number, pending: number, missingWardCodes: Array<string>, lateWards: Array<{ wardCode: string, minutesLate: number }> }> } | null };

export type DataEntryLagQueryVariables = Exact<{
  wards: Array<string | number> | string | number;
  district: string | number;
  from?: string | null | undefined;
  to?: string | null | undefined;
}>;


export type DataEntryLagQuery = { wards: Array<{ code: string, dataEntryLag: { from: string, to: string, cases: number, p50Minutes: number | null, p90Minutes: number | null } | null }>, district: { code: string, dataEntryLag: { from: string, to: string, cases: number, p50Minutes: number | null, p90Minutes: number | null } | null } | null };

export type HelpContactsQueryVariables = Exact<{
  ward: string | number;
}>;


export type HelpContactsQuery = { ward: { code: string, name: string, helpContacts: Array<{ id: string, name: string, kind: FacilityKind, contacts: { phones: Array<string>, hotline: string | null, hours: string | null, zaloGroups: Array<{ name: string, link: string }> } | null }> } | null };

export type RequestHelpMutationVariables = Exact<{
  input: RequestHelpInput;
}>;


export type RequestHelpMutation = { requestHelp:
    | { __typename: 'ConflictError', code: string, message: string }
    | { __typename: 'RequestHelpSuccess', receipt: { id: string, status: HelpRequestState, need: HelpNeed, openedAt: string, ward: { code: string } } }
    | { __typename: 'ValidationError', code: string, message: string, fields: Array<{ path: Array<string>, message: string }> }
   };

export type HelpRequestStatusQueryVariables = Exact<{
  id: string | number;
}>;


export type HelpRequestStatusQuery = { helpRequestStatus: { id: string, status: HelpRequestState, openedAt: string, acknowledgedAt: string | null, escalatedAt: string | null, closedAt: string | null, acknowledgeSeconds: number | null, closeSeconds: number | null } | null };

export type DistrictSuppliesQueryVariables = Exact<{
  district: string | number;
  first?: number | null | undefined;
}>;


export type DistrictSuppliesQuery = { districts: Array<{ code: string, supplies: { items: Array<{ item: SupplyItem, received: number, dispensed: number, onHand: number, placesLow: number }>, medicinePackageCoverage: { homePatients: number, withPackage: number, share: number } } }>, facilities: { edges: Array<{ node: { id: string, name: string, ward: { code: string, name: string }, stock: Array<{ item: SupplyItem, onHand: number, lowThreshold: number, low: boolean, updatedAt: string }> } }> } };

export type ReceiveStockMutationVariables = Exact<{
  input: ReceiveStockInput;
}>;


export type ReceiveStockMutation = { receiveStock:
    | { __typename: 'ConflictError', code: string, message: string }
    | { __typename: 'NotFoundError', code: string, message: string }
    | { __typename: 'ReceiveStockSuccess', movement: { id: string, item: SupplyItem, quantity: number, onHandAfter: number, at: string, stock: { onHand: number, received: number } } }
    | { __typename: 'ValidationError', code: string, message: string, fields: Array<{ path: Array<string>, message: string }> }
   };

export type DispenseMedicinePackageMutationVariables = Exact<{
  input: DispenseMedicineInput;
}>;


export type DispenseMedicinePackageMutation = { dispenseMedicinePackage:
    | { __typename: 'ConflictError', code: string, message: string }
    | { __typename: 'DispenseMedicinePackageSuccess', dispensed: { id: string, package: MedicinePackage, dispensedAt: string, station: { id: string } | null } }
    | { __typename: 'NotEligible', code: string, message: string, reasons: Array<string> }
    | { __typename: 'NotFoundError', code: string, message: string }
    | { __typename: 'OutOfStock', code: string, message: string, onHand: number, requested: number }
    | { __typename: 'PatientNotUnderTreatment', code: string, message: string }
    | { __typename: 'ValidationError', code: string, message: string, fields: Array<{ path: Array<string>, message: string }> }
   };

export type LiveStockAlertsSubscriptionVariables = Exact<{
  district?: string | number | null | undefined;
}>;


export type LiveStockAlertsSubscription = { stockLow: { cause: string, at: string, stock: { item: SupplyItem, onHand: number, lowThreshold: number, facility: { id: string, name: string, ward: { code: string, name: string } } } } };

export type VaccinationSitesQueryVariables = Exact<{
  district: string | number;
}>;


export type VaccinationSitesQuery = { vaccinationPoints: { edges: Array<{ node: { id: string, name: string, address: string, latitude: number | null, longitude: number | null, wardCode: string } }> }, vaccinationSessions: { edges: Array<{ node: { id: string, startsAt: string, endsAt: string, vaccine: Vaccine, plannedDoses: number, dosesGiven: number, point: { id: string, name: string } } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type OpenHomeVaccinationsQueryVariables = Exact<{
  ward: string | number;
  after?: string | null | undefined;
}>;


export type OpenHomeVaccinationsQuery = { openHomeVaccinationRequests: { edges: Array<{ node: { id: string, status: HomeVaccinationStatus, daysOpen: number, reason: string, scheduledFor: string | null, team: { id: string, name: string } | null, resident: { id: string, nationalId: string | null, fullName: string | null } | null } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export const DashboardTrendFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"DashboardTrend"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Trends"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"cases"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"date"}},{"kind":"Field","name":{"kind":"Name","value":"newCases"}},{"kind":"Field","name":{"kind":"Name","value":"active"}},{"kind":"Field","name":{"kind":"Name","value":"byTier"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"tier"}},{"kind":"Field","name":{"kind":"Name","value":"count"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"occupancy"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"date"}},{"kind":"Field","name":{"kind":"Name","value":"occupied"}},{"kind":"Field","name":{"kind":"Name","value":"byKind"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"occupied"}}]}}]}}]}}]} as unknown as DocumentNode<DashboardTrendFragment, unknown>;
export const DashboardHelpDeskFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"DashboardHelpDesk"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"HelpDeskStats"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"open"}},{"kind":"Field","name":{"kind":"Name","value":"unacknowledged"}},{"kind":"Field","name":{"kind":"Name","value":"escalated"}},{"kind":"Field","name":{"kind":"Name","value":"oldestUnacknowledgedAt"}}]}}]} as unknown as DocumentNode<DashboardHelpDeskFragment, unknown>;
export const DashboardCityDocument = {"__meta__":{"hash":"sha256:d61216085ee0b5ce94bd330c15ebc7305040e0e98a437951f126a427991a9091"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"DashboardCity"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"districts"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"capacity"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"total"}},{"kind":"Field","name":{"kind":"Name","value":"occupied"}},{"kind":"Field","name":{"kind":"Name","value":"available"}},{"kind":"Field","name":{"kind":"Name","value":"occupancyRate"}},{"kind":"Field","name":{"kind":"Name","value":"byKind"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"total"}},{"kind":"Field","name":{"kind":"Name","value":"occupied"}},{"kind":"Field","name":{"kind":"Name","value":"available"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"cases"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"active"}},{"kind":"Field","name":{"kind":"Name","value":"byTier"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"tier"}},{"kind":"Field","name":{"kind":"Name","value":"count"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"epidemicLevel"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"level"}},{"kind":"Field","name":{"kind":"Name","value":"colour"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"assessedAt"}}]}}]}}]}}]} as unknown as DocumentNode<DashboardCityQuery, DashboardCityQueryVariables>;
export const DashboardTiersDocument = {"__meta__":{"hash":"sha256:dd8f055446cd3bd31daaa72cc95b19ac8cc945f3a0ed6f26eaa6157d67212395"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"DashboardTiers"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"district"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"tierChanged"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"districtCode"},"value":{"kind":"Variable","name":{"kind":"Name","value":"district"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"patient"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"caseCode"}},{"kind":"Field","name":{"kind":"Name","value":"ward"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"from"}},{"kind":"Field","name":{"kind":"Name","value":"to"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}},{"kind":"Field","name":{"kind":"Name","value":"at"}}]}}]}}]} as unknown as DocumentNode<DashboardTiersSubscription, DashboardTiersSubscriptionVariables>;
export const DashboardTrendsDocument = {"__meta__":{"hash":"sha256:9bb41c45e98ec1ae270b9305f5b409e8a7c8016d6c27e3cfe9ba1941ca98b0ce"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"DashboardTrends"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"district"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"days"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cityTrends"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"days"},"value":{"kind":"Variable","name":{"kind":"Name","value":"days"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"DashboardTrend"}}]}},{"kind":"Field","name":{"kind":"Name","value":"district"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"code"},"value":{"kind":"Variable","name":{"kind":"Name","value":"district"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"trends"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"days"},"value":{"kind":"Variable","name":{"kind":"Name","value":"days"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"DashboardTrend"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"DashboardTrend"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Trends"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"cases"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"date"}},{"kind":"Field","name":{"kind":"Name","value":"newCases"}},{"kind":"Field","name":{"kind":"Name","value":"active"}},{"kind":"Field","name":{"kind":"Name","value":"byTier"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"tier"}},{"kind":"Field","name":{"kind":"Name","value":"count"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"occupancy"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"date"}},{"kind":"Field","name":{"kind":"Name","value":"occupied"}},{"kind":"Field","name":{"kind":"Name","value":"byKind"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"occupied"}}]}}]}}]}}]} as unknown as DocumentNode<DashboardTrendsQuery, DashboardTrendsQueryVariables>;
export const DashboardHelpDocument = {"__meta__":{"hash":"sha256:cc559c5e3f6f7bb88f9e85fee4759f8edbc8fa3aed078c69767489bf2561afd4"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"DashboardHelp"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"district"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"district"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"code"},"value":{"kind":"Variable","name":{"kind":"Name","value":"district"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"helpDesk"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"DashboardHelpDesk"}},{"kind":"Field","name":{"kind":"Name","value":"medianFirstResponseSeconds"}},{"kind":"Field","name":{"kind":"Name","value":"p90FirstResponseSeconds"}}]}},{"kind":"Field","name":{"kind":"Name","value":"wards"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"helpDesk"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"DashboardHelpDesk"}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"DashboardHelpDesk"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"HelpDeskStats"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"open"}},{"kind":"Field","name":{"kind":"Name","value":"unacknowledged"}},{"kind":"Field","name":{"kind":"Name","value":"escalated"}},{"kind":"Field","name":{"kind":"Name","value":"oldestUnacknowledgedAt"}}]}}]} as unknown as DocumentNode<DashboardHelpQuery, DashboardHelpQueryVariables>;
export const DashboardHelpChangesDocument = {"__meta__":{"hash":"sha256:20e77e754bdbcc66e579bfd98dd19780cbae63502025577562b8da8cde1a9f37"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"DashboardHelpChanges"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"district"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"helpRequestChanged"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"districtCode"},"value":{"kind":"Variable","name":{"kind":"Name","value":"district"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}}]} as unknown as DocumentNode<DashboardHelpChangesSubscription, DashboardHelpChangesSubscriptionVariables>;
export const CapacityBoardDocument = {"__meta__":{"hash":"sha256:0109453b9ba0a1bd2d0d3b29777c4549848723631291624fee479f21bf0bcb47"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"CapacityBoard"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"district"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}},"defaultValue":{"kind":"IntValue","value":"50"}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"facilities"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"districtCode"},"value":{"kind":"Variable","name":{"kind":"Name","value":"district"}}}]}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"level"}},{"kind":"Field","name":{"kind":"Name","value":"ownership"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"servesTiers"}},{"kind":"Field","name":{"kind":"Name","value":"ward"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"beds"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"total"}},{"kind":"Field","name":{"kind":"Name","value":"covidDesignated"}},{"kind":"Field","name":{"kind":"Name","value":"occupied"}},{"kind":"Field","name":{"kind":"Name","value":"available"}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<CapacityBoardQuery, CapacityBoardQueryVariables>;
export const FindBedDocument = {"__meta__":{"hash":"sha256:f0970f6694ba659c85e489ccab5f195c79217e1df904df01c6afa92db31eb4d2"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"FindBed"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"ward"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"tier"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"TreatmentTier"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"bedKind"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"BedKind"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"bedFinder"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"wardCode"},"value":{"kind":"Variable","name":{"kind":"Name","value":"ward"}}},{"kind":"Argument","name":{"kind":"Name","value":"tier"},"value":{"kind":"Variable","name":{"kind":"Name","value":"tier"}}},{"kind":"Argument","name":{"kind":"Name","value":"bedKind"},"value":{"kind":"Variable","name":{"kind":"Name","value":"bedKind"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"5"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"facility"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"district"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"bedKind"}},{"kind":"Field","name":{"kind":"Name","value":"available"}}]}}]}}]} as unknown as DocumentNode<FindBedQuery, FindBedQueryVariables>;
export const CityOverviewDocument = {"__meta__":{"hash":"sha256:7a5ca78c967fc01d25d924f3ecbb07b0d78689521a2f865b3bbc9f8efddaf810"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"CityOverview"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"districts"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"population"}},{"kind":"Field","name":{"kind":"Name","value":"capacity"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"total"}},{"kind":"Field","name":{"kind":"Name","value":"occupied"}},{"kind":"Field","name":{"kind":"Name","value":"available"}},{"kind":"Field","name":{"kind":"Name","value":"occupancyRate"}},{"kind":"Field","name":{"kind":"Name","value":"byKind"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"total"}},{"kind":"Field","name":{"kind":"Name","value":"occupied"}},{"kind":"Field","name":{"kind":"Name","value":"available"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"cases"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"active"}},{"kind":"Field","name":{"kind":"Name","value":"atHome"}},{"kind":"Field","name":{"kind":"Name","value":"inFacilities"}},{"kind":"Field","name":{"kind":"Name","value":"newLast7Days"}},{"kind":"Field","name":{"kind":"Name","value":"newPer100kLast7Days"}},{"kind":"Field","name":{"kind":"Name","value":"byTier"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"tier"}},{"kind":"Field","name":{"kind":"Name","value":"count"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"vaccination"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"population"}},{"kind":"Field","name":{"kind":"Name","value":"dose1Coverage"}},{"kind":"Field","name":{"kind":"Name","value":"dose2Coverage"}},{"kind":"Field","name":{"kind":"Name","value":"boosterCoverage"}},{"kind":"Field","name":{"kind":"Name","value":"over50WithoutDose1"}}]}},{"kind":"Field","name":{"kind":"Name","value":"workforce"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"workers"}},{"kind":"Field","name":{"kind":"Name","value":"homeCareWorkers"}},{"kind":"Field","name":{"kind":"Name","value":"unassignedHomePatients"}},{"kind":"Field","name":{"kind":"Name","value":"homePatientsPerCareWorker"}}]}},{"kind":"Field","name":{"kind":"Name","value":"epidemicLevel"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"level"}},{"kind":"Field","name":{"kind":"Name","value":"assessedAt"}}]}}]}}]}}]} as unknown as DocumentNode<CityOverviewQuery, CityOverviewQueryVariables>;
export const LiveBedsDocument = {"__meta__":{"hash":"sha256:57edbce110cdf7cda58a8f330814017842b46c274d8b133271c52a3e81b75081"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"LiveBeds"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"district"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"bedOccupancyChanged"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"districtCode"},"value":{"kind":"Variable","name":{"kind":"Name","value":"district"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"facility"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"district"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"cases"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"active"}}]}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"bedKind"}},{"kind":"Field","name":{"kind":"Name","value":"total"}},{"kind":"Field","name":{"kind":"Name","value":"occupied"}},{"kind":"Field","name":{"kind":"Name","value":"available"}},{"kind":"Field","name":{"kind":"Name","value":"cause"}},{"kind":"Field","name":{"kind":"Name","value":"at"}}]}}]}}]} as unknown as DocumentNode<LiveBedsSubscription, LiveBedsSubscriptionVariables>;
export const LiveTiersDocument = {"__meta__":{"hash":"sha256:40066f250b1dbc2371e62190b4b8f741094517cff6fd887d43d736c75b409bcb"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"LiveTiers"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"district"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"tierChanged"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"districtCode"},"value":{"kind":"Variable","name":{"kind":"Name","value":"district"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"patient"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"tier"}},{"kind":"Field","name":{"kind":"Name","value":"ward"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}}]}},{"kind":"Field","name":{"kind":"Name","value":"admission"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"facility"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"from"}},{"kind":"Field","name":{"kind":"Name","value":"to"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}},{"kind":"Field","name":{"kind":"Name","value":"at"}}]}}]}}]} as unknown as DocumentNode<LiveTiersSubscription, LiveTiersSubscriptionVariables>;
export const RegisterPatientDocument = {"__meta__":{"hash":"sha256:3cd3d07bb9b48db91963c810c73c9ad94a4f278cad8e46cd482023c10ae1f25c"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RegisterPatient"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"RegisterPatientInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"registerPatient"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RegisterPatientSuccess"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"patient"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"caseCode"}},{"kind":"Field","name":{"kind":"Name","value":"tier"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"ward"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}}]}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ValidationError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"fields"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"path"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]}}]} as unknown as DocumentNode<RegisterPatientMutation, RegisterPatientMutationVariables>;
export const RecordDailyCheckDocument = {"__meta__":{"hash":"sha256:4e4c6bedd7c376975e9703a2d8ef60005253e22d89480095c4177ea442fa26fc"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RecordDailyCheck"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"RecordDailyCheckInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"recordDailyCheck"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RecordDailyCheckSuccess"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"check"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"at"}},{"kind":"Field","name":{"kind":"Name","value":"spo2"}},{"kind":"Field","name":{"kind":"Name","value":"warningSigns"}},{"kind":"Field","name":{"kind":"Name","value":"needsEscalation"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<RecordDailyCheckMutation, RecordDailyCheckMutationVariables>;
export const ChangeTierDocument = {"__meta__":{"hash":"sha256:0a8489d9adae3336d4ed267e1f7df74c0518fcf8bbbf587d945b44ff372ec901"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ChangeTier"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ChangeTierInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"changeTier"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ChangeTierSuccess"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"patient"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"tier"}},{"kind":"Field","name":{"kind":"Name","value":"tierHistory"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"from"}},{"kind":"Field","name":{"kind":"Name","value":"to"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}},{"kind":"Field","name":{"kind":"Name","value":"at"}}]}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<ChangeTierMutation, ChangeTierMutationVariables>;
export const AdmitPatientDocument = {"__meta__":{"hash":"sha256:3d227b4d3e7e98d8bcfceb3418cdca58749b3e0826bdc2e866189b91ed693b92"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"AdmitPatient"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"AdmitPatientInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"admitPatient"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"AdmitPatientSuccess"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"admission"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"bedKind"}},{"kind":"Field","name":{"kind":"Name","value":"admittedAt"}},{"kind":"Field","name":{"kind":"Name","value":"facility"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"beds"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"occupied"}},{"kind":"Field","name":{"kind":"Name","value":"available"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"patient"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"NoBedAvailable"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"facilityId"}},{"kind":"Field","name":{"kind":"Name","value":"bedKind"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<AdmitPatientMutation, AdmitPatientMutationVariables>;
export const DischargePatientDocument = {"__meta__":{"hash":"sha256:c83a07fc2a1dc5443eac90430e966e6dc20b100fb28d267f02bce121d61c02ef"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"DischargePatient"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"DischargePatientInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"dischargePatient"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"DischargePatientSuccess"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"admission"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"dischargedAt"}},{"kind":"Field","name":{"kind":"Name","value":"outcome"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<DischargePatientMutation, DischargePatientMutationVariables>;
export const RecordDoseDocument = {"__meta__":{"hash":"sha256:5ddc98bbedc290566dd201c67f5733aea0aea506270bd4c4b86938f162728a1f"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RecordDose"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"RecordDoseInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"recordDose"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RecordDoseSuccess"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"record"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"dose"}},{"kind":"Field","name":{"kind":"Name","value":"vaccine"}},{"kind":"Field","name":{"kind":"Name","value":"administeredAt"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<RecordDoseMutation, RecordDoseMutationVariables>;
export const TreatmentSnapshotDocument = {"__meta__":{"hash":"sha256:8601fd2e5d40ed914fe9dbcab27474aaa60ad4fa9075817ea15b4c65dff506b6"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"TreatmentSnapshot"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"district"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"date"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Date"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"treatmentSnapshot"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"districtCode"},"value":{"kind":"Variable","name":{"kind":"Name","value":"district"}}},{"kind":"Argument","name":{"kind":"Name","value":"date"},"value":{"kind":"Variable","name":{"kind":"Name","value":"date"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"date"}},{"kind":"Field","name":{"kind":"Name","value":"underTreatment"}},{"kind":"Field","name":{"kind":"Name","value":"atHome"}},{"kind":"Field","name":{"kind":"Name","value":"districtCollectionSites"}},{"kind":"Field","name":{"kind":"Name","value":"cityCollectionSites"}},{"kind":"Field","name":{"kind":"Name","value":"hospitals"}},{"kind":"Field","name":{"kind":"Name","value":"centralHospitals"}},{"kind":"Field","name":{"kind":"Name","value":"critical"}},{"kind":"Field","name":{"kind":"Name","value":"byTier"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"tier"}},{"kind":"Field","name":{"kind":"Name","value":"count"}}]}}]}}]}}]} as unknown as DocumentNode<TreatmentSnapshotQuery, TreatmentSnapshotQueryVariables>;
export const OpenReferralsDocument = {"__meta__":{"hash":"sha256:b3f13d8180ae96a52196780a04e5e9df88f210378845950ebae21742f5fc71e1"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"OpenReferrals"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"hours"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"district"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"openReferrals"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"olderThanHours"},"value":{"kind":"Variable","name":{"kind":"Name","value":"hours"}}},{"kind":"Argument","name":{"kind":"Name","value":"districtCode"},"value":{"kind":"Variable","name":{"kind":"Name","value":"district"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"olderThanHours"}},{"kind":"Field","name":{"kind":"Name","value":"count"}},{"kind":"Field","name":{"kind":"Name","value":"oldestRequestedAt"}},{"kind":"Field","name":{"kind":"Name","value":"byStatus"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"count"}}]}},{"kind":"Field","name":{"kind":"Name","value":"byWard"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"ward"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"count"}},{"kind":"Field","name":{"kind":"Name","value":"oldestRequestedAt"}}]}}]}}]}}]} as unknown as DocumentNode<OpenReferralsQuery, OpenReferralsQueryVariables>;
export const SubmitDailyReportDocument = {"__meta__":{"hash":"sha256:c82bedb005d833d082e35913b3c7b3fbc142b5b437c5f58f98d7561f8ae0994e"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"SubmitDailyReport"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"SubmitDailyReportInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"submitDailyReport"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"SubmitDailyReportSuccess"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"submission"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"wardCode"}},{"kind":"Field","name":{"kind":"Name","value":"date"}},{"kind":"Field","name":{"kind":"Name","value":"submittedAt"}},{"kind":"Field","name":{"kind":"Name","value":"deadline"}},{"kind":"Field","name":{"kind":"Name","value":"onTime"}},{"kind":"Field","name":{"kind":"Name","value":"minutesLate"}},{"kind":"Field","name":{"kind":"Name","value":"onBehalf"}},{"kind":"Field","name":{"kind":"Name","value":"confirmedComputed"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}},{"kind":"Field","name":{"kind":"Name","value":"figures"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"figure"}},{"kind":"Field","name":{"kind":"Name","value":"computed"}},{"kind":"Field","name":{"kind":"Name","value":"reported"}},{"kind":"Field","name":{"kind":"Name","value":"corrected"}}]}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ValidationError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"fields"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"path"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<SubmitDailyReportMutation, SubmitDailyReportMutationVariables>;
export const ReportDutyDocument = {"__meta__":{"hash":"sha256:84f59977315f8561f5afcad43ca2af4f359618244b752d74c1811b4ac925b6d4"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ReportDuty"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"date"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Date"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cityReportDuty"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"date"},"value":{"kind":"Variable","name":{"kind":"Name","value":"date"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"date"}},{"kind":"Field","name":{"kind":"Name","value":"deadline"}},{"kind":"Field","name":{"kind":"Name","value":"wards"}},{"kind":"Field","name":{"kind":"Name","value":"onTime"}},{"kind":"Field","name":{"kind":"Name","value":"late"}},{"kind":"Field","name":{"kind":"Name","value":"missing"}},{"kind":"Field","name":{"kind":"Name","value":"pending"}},{"kind":"Field","name":{"kind":"Name","value":"districts"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"districtCode"}},{"kind":"Field","name":{"kind":"Name","value":"wards"}},{"kind":"Field","name":{"kind":"Name","value":"onTime"}},{"kind":"Field","name":{"kind":"Name","value":"late"}},{"kind":"Field","name":{"kind":"Name","value":"missing"}},{"kind":"Field","name":{"kind":"Name","value":"pending"}},{"kind":"Field","name":{"kind":"Name","value":"lateWards"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"wardCode"}},{"kind":"Field","name":{"kind":"Name","value":"minutesLate"}}]}},{"kind":"Field","name":{"kind":"Name","value":"missingWardCodes"}}]}}]}}]}}]} as unknown as DocumentNode<ReportDutyQuery, ReportDutyQueryVariables>;
export const DataEntryLagDocument = {"__meta__":{"hash":"sha256:19f3c59dc3669ff2e3c095e030fc3dcefcce4c333d34e9cb1a717fc6316b68f9"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"DataEntryLag"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"wards"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"district"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"from"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Date"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"to"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Date"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"wards"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"codes"},"value":{"kind":"Variable","name":{"kind":"Name","value":"wards"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"dataEntryLag"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"from"},"value":{"kind":"Variable","name":{"kind":"Name","value":"from"}}},{"kind":"Argument","name":{"kind":"Name","value":"to"},"value":{"kind":"Variable","name":{"kind":"Name","value":"to"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"from"}},{"kind":"Field","name":{"kind":"Name","value":"to"}},{"kind":"Field","name":{"kind":"Name","value":"cases"}},{"kind":"Field","name":{"kind":"Name","value":"p50Minutes"}},{"kind":"Field","name":{"kind":"Name","value":"p90Minutes"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"district"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"code"},"value":{"kind":"Variable","name":{"kind":"Name","value":"district"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"dataEntryLag"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"from"},"value":{"kind":"Variable","name":{"kind":"Name","value":"from"}}},{"kind":"Argument","name":{"kind":"Name","value":"to"},"value":{"kind":"Variable","name":{"kind":"Name","value":"to"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"from"}},{"kind":"Field","name":{"kind":"Name","value":"to"}},{"kind":"Field","name":{"kind":"Name","value":"cases"}},{"kind":"Field","name":{"kind":"Name","value":"p50Minutes"}},{"kind":"Field","name":{"kind":"Name","value":"p90Minutes"}}]}}]}}]}}]} as unknown as DocumentNode<DataEntryLagQuery, DataEntryLagQueryVariables>;
export const HelpContactsDocument = {"__meta__":{"hash":"sha256:b14aef1ccb9a9a5fb3601d55f6d2f98b488ff9e1560a4b96aa13818b617c6c20"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"HelpContacts"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"ward"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"ward"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"code"},"value":{"kind":"Variable","name":{"kind":"Name","value":"ward"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"helpContacts"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"contacts"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"phones"}},{"kind":"Field","name":{"kind":"Name","value":"hotline"}},{"kind":"Field","name":{"kind":"Name","value":"zaloGroups"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"link"}}]}},{"kind":"Field","name":{"kind":"Name","value":"hours"}}]}}]}}]}}]}}]} as unknown as DocumentNode<HelpContactsQuery, HelpContactsQueryVariables>;
export const RequestHelpDocument = {"__meta__":{"hash":"sha256:206ecb502d6d741ee492ce97b7a6d745d37833737319eca93862d6528b21559f"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RequestHelp"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"RequestHelpInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"requestHelp"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RequestHelpSuccess"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"receipt"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"ward"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}}]}},{"kind":"Field","name":{"kind":"Name","value":"need"}},{"kind":"Field","name":{"kind":"Name","value":"openedAt"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ValidationError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"fields"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"path"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<RequestHelpMutation, RequestHelpMutationVariables>;
export const HelpRequestStatusDocument = {"__meta__":{"hash":"sha256:d787b2f58bae18862b1cad3661a7e7509e8c0bda38c1c6eebaa49da2855aceb1"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"HelpRequestStatus"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"helpRequestStatus"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"openedAt"}},{"kind":"Field","name":{"kind":"Name","value":"acknowledgedAt"}},{"kind":"Field","name":{"kind":"Name","value":"escalatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"closedAt"}},{"kind":"Field","name":{"kind":"Name","value":"acknowledgeSeconds"}},{"kind":"Field","name":{"kind":"Name","value":"closeSeconds"}}]}}]}}]} as unknown as DocumentNode<HelpRequestStatusQuery, HelpRequestStatusQueryVariables>;
export const DistrictSuppliesDocument = {"__meta__":{"hash":"sha256:79c6ddd87503efeb12863e04583997e74853884e046f58e80bce47230c185919"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"DistrictSupplies"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"district"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}},"defaultValue":{"kind":"IntValue","value":"100"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"districts"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"codes"},"value":{"kind":"ListValue","values":[{"kind":"Variable","name":{"kind":"Name","value":"district"}}]}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"supplies"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"items"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"item"}},{"kind":"Field","name":{"kind":"Name","value":"received"}},{"kind":"Field","name":{"kind":"Name","value":"dispensed"}},{"kind":"Field","name":{"kind":"Name","value":"onHand"}},{"kind":"Field","name":{"kind":"Name","value":"placesLow"}}]}},{"kind":"Field","name":{"kind":"Name","value":"medicinePackageCoverage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"homePatients"}},{"kind":"Field","name":{"kind":"Name","value":"withPackage"}},{"kind":"Field","name":{"kind":"Name","value":"share"}}]}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"facilities"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"districtCode"},"value":{"kind":"Variable","name":{"kind":"Name","value":"district"}}},{"kind":"ObjectField","name":{"kind":"Name","value":"kinds"},"value":{"kind":"ListValue","values":[{"kind":"EnumValue","value":"HEALTH_STATION"}]}}]}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"ward"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"stock"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"item"}},{"kind":"Field","name":{"kind":"Name","value":"onHand"}},{"kind":"Field","name":{"kind":"Name","value":"lowThreshold"}},{"kind":"Field","name":{"kind":"Name","value":"low"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<DistrictSuppliesQuery, DistrictSuppliesQueryVariables>;
export const ReceiveStockDocument = {"__meta__":{"hash":"sha256:f7c52e11438306e25bbfff6827e6bbdffb5214b138301a0aef57a494df2d12db"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ReceiveStock"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ReceiveStockInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"receiveStock"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ReceiveStockSuccess"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"movement"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"item"}},{"kind":"Field","name":{"kind":"Name","value":"quantity"}},{"kind":"Field","name":{"kind":"Name","value":"onHandAfter"}},{"kind":"Field","name":{"kind":"Name","value":"at"}},{"kind":"Field","name":{"kind":"Name","value":"stock"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"onHand"}},{"kind":"Field","name":{"kind":"Name","value":"received"}}]}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ValidationError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"fields"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"path"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]}}]} as unknown as DocumentNode<ReceiveStockMutation, ReceiveStockMutationVariables>;
export const DispenseMedicinePackageDocument = {"__meta__":{"hash":"sha256:45860f0094b86cbc79fcc31da44c183bd897c07bb97ea8cdf75b48a91bf577c4"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"DispenseMedicinePackage"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"DispenseMedicineInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"dispenseMedicinePackage"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"DispenseMedicinePackageSuccess"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"dispensed"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"package"}},{"kind":"Field","name":{"kind":"Name","value":"dispensedAt"}},{"kind":"Field","name":{"kind":"Name","value":"station"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"OutOfStock"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"onHand"}},{"kind":"Field","name":{"kind":"Name","value":"requested"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"NotEligible"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"reasons"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ValidationError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"fields"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"path"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]}}]} as unknown as DocumentNode<DispenseMedicinePackageMutation, DispenseMedicinePackageMutationVariables>;
export const LiveStockAlertsDocument = {"__meta__":{"hash":"sha256:2cde38892e86047f7985750be43332cd92ce01d270283fcd91d5d812391bb6dc"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"LiveStockAlerts"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"district"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"stockLow"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"districtCode"},"value":{"kind":"Variable","name":{"kind":"Name","value":"district"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"stock"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"item"}},{"kind":"Field","name":{"kind":"Name","value":"onHand"}},{"kind":"Field","name":{"kind":"Name","value":"lowThreshold"}},{"kind":"Field","name":{"kind":"Name","value":"facility"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"ward"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"cause"}},{"kind":"Field","name":{"kind":"Name","value":"at"}}]}}]}}]} as unknown as DocumentNode<LiveStockAlertsSubscription, LiveStockAlertsSubscriptionVariables>;
export const VaccinationSitesDocument = {"__meta__":{"hash":"sha256:7107ed17903f4958e71473841f7f5060aa36624a6edbaa53519f4d543d1c17a6"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"VaccinationSites"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"district"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"vaccinationPoints"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"districtCode"},"value":{"kind":"Variable","name":{"kind":"Name","value":"district"}}}]}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"30"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"address"}},{"kind":"Field","name":{"kind":"Name","value":"latitude"}},{"kind":"Field","name":{"kind":"Name","value":"longitude"}},{"kind":"Field","name":{"kind":"Name","value":"wardCode"}}]}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"vaccinationSessions"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"districtCode"},"value":{"kind":"Variable","name":{"kind":"Name","value":"district"}}}]}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"30"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"startsAt"}},{"kind":"Field","name":{"kind":"Name","value":"endsAt"}},{"kind":"Field","name":{"kind":"Name","value":"vaccine"}},{"kind":"Field","name":{"kind":"Name","value":"plannedDoses"}},{"kind":"Field","name":{"kind":"Name","value":"dosesGiven"}},{"kind":"Field","name":{"kind":"Name","value":"point"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}}]}}]} as unknown as DocumentNode<VaccinationSitesQuery, VaccinationSitesQueryVariables>;
export const OpenHomeVaccinationsDocument = {"__meta__":{"hash":"sha256:689e3eb84d47132380ea9d77ea00d5df99f6b510a8ef852cb41e14ead5555659"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"OpenHomeVaccinations"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"ward"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"openHomeVaccinationRequests"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"wardCode"},"value":{"kind":"Variable","name":{"kind":"Name","value":"ward"}}}]}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"50"}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"daysOpen"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}},{"kind":"Field","name":{"kind":"Name","value":"scheduledFor"}},{"kind":"Field","name":{"kind":"Name","value":"team"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"resident"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"nationalId"}},{"kind":"Field","name":{"kind":"Name","value":"fullName"}}]}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}}]}}]} as unknown as DocumentNode<OpenHomeVaccinationsQuery, OpenHomeVaccinationsQueryVariables>;