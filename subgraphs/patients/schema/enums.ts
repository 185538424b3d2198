import { builder } from '../builder.js';
import { careSettingEnum, describedValues, patientStatusEnum, treatmentTierEnum } from '../../common/graphql/enums.js';
import { SYMPTOMS, WARNING_SIGNS } from '../domain/warning-signs.js';
import { RISK_FACTORS } from '../domain/risk.js';
import { MEDICINE_PACKAGES } from '../domain/medicine.js';
import { MOVEMENT_KINDS, SUPPLY_ITEMS } from '../domain/supplies.js';
import { HELP_REQUEST_STATES } from '../domain/help-request.js';

export const TreatmentTierEnum = builder.enumType('TreatmentTier', treatmentTierEnum);
export const PatientStatusEnum = builder.enumType('PatientStatus', patientStatusEnum);
export const CareSettingEnum = builder.enumType('CareSetting', careSettingEnum);

export const SexEnum = builder.enumType('Sex', {
  description: 'Sex as recorded on the citizen ID.',
  values: { FEMALE: { description: 'Female.' }, MALE: { description: 'Male.' } },
});

export const ConfirmationMethodEnum = builder.enumType('ConfirmationMethod', {
  description: 'How the infection was confirmed.',
  values: {
    PCR: { description: 'RT-PCR test.' },
    RAPID_ANTIGEN: { description: 'Rapid antigen test, accepted for confirmation from early 2022.' },
  },
});

export const RiskFactorEnum = builder.enumType('RiskFactor', {
  description: 'Factors for severe disease (Decision 261/QĐ-BYT). Age factors are derived from the date of birth.',
  values: describedValues(RISK_FACTORS, {
    AGE_50_PLUS: 'Aged 50 or over (derived).',
    AGE_65_PLUS: 'Aged 65 or over (derived).',
    COMORBIDITY: 'Chronic disease: diabetes, hypertension, heart, lung, kidney or liver disease, cancer, obesity, immunosuppression.',
    PREGNANCY: 'Pregnant.',
    UNVACCINATED: 'Not fully vaccinated.',
    CHILD: 'Under 16: follows the paediatric home-care guidance (derived).',
  }),
});

export const SymptomEnum = builder.enumType('Symptom', {
  description: 'Symptoms reported in a daily check.',
  values: describedValues(SYMPTOMS, {
    FEVER: 'Fever.',
    COUGH: 'Cough.',
    SORE_THROAT: 'Sore throat.',
    FATIGUE: 'Fatigue.',
    LOSS_OF_SMELL_OR_TASTE: 'Loss of smell or taste.',
    HEADACHE: 'Headache.',
    MUSCLE_PAIN: 'Muscle pain.',
    DIARRHOEA: 'Diarrhoea.',
    BREATHLESSNESS: 'Shortness of breath (a warning sign).',
    CHEST_PAIN: 'Chest pain or tightness (a warning sign).',
    ALTERED_CONSCIOUSNESS: 'Confusion, lethargy or stupor (a warning sign).',
    CYANOSIS: 'Bluish lips or fingertips (a warning sign).',
    CHEST_INDRAWING: 'Chest indrawing in children (a warning sign).',
    UNABLE_TO_DRINK: 'Child unable to drink or breastfeed (a warning sign).',
    CONVULSIONS: 'Convulsions (a warning sign).',
  }),
});

export const WarningSignEnum = builder.enumType('WarningSign', {
  description: 'A warning sign of the Ministry of Health guidance for home care (Decisions 261 and 405/QĐ-BYT).',
  values: describedValues(WARNING_SIGNS, {
    FAST_BREATHING: 'Respiratory rate at or above the threshold for the age (adults 20/min; children 60, 50, 40 or 30/min by age).',
    SLOW_BREATHING: 'Respiratory rate below 10/min (critical).',
    LOW_SPO2: 'SpO2 at or below 96 %.',
    TACHYCARDIA: 'Pulse above 120/min.',
    BRADYCARDIA: 'Pulse below 50/min.',
    HYPOTENSION: 'Blood pressure below 90/60 mmHg.',
    BREATHLESSNESS: 'Shortness of breath.',
    CHEST_PAIN: 'Chest pain or tightness.',
    ALTERED_CONSCIOUSNESS: 'Altered consciousness.',
    CYANOSIS: 'Cyanosis.',
    CHEST_INDRAWING: 'Chest indrawing (children).',
    UNABLE_TO_DRINK: 'Unable to drink or feed (children).',
    CONVULSIONS: 'Convulsions.',
  }),
});

export const MedicinePackageEnum = builder.enumType('MedicinePackage', {
  description: "Hanoi's home-treatment medicine packages.",
  values: describedValues(MEDICINE_PACKAGES, {
    A: 'Symptomatic treatment (fever reducer, vitamins): any patient.',
    B: "Anti-inflammatory and anticoagulant: only on a doctor's order.",
    C: 'Molnupiravir (antiviral): adults, not pregnant, after screening and with consent.',
  }),
});

export const HelpChannelEnum = builder.enumType('HelpChannel', {
  description: 'How a citizen asked for help.',
  values: {
    HOTLINE_1022: { description: 'The city hotline 1022.' },
    ZALO: { description: 'A ward Zalo group or the Zalo hotline.' },
    PHONE: { description: "The ward health station's phone." },
    WALK_IN: { description: 'In person at the station.' },
    PARTNER_APP: { description: 'A partner app (a citizen app or a hotline operator) on the citizen\'s behalf, with their consent.' },
  },
});

export const HelpNeedEnum = builder.enumType('HelpNeed', {
  description: 'What a citizen asking for help needs most.',
  values: {
    MEDICAL: { description: 'A doctor\'s advice or visit (fever, symptoms, a question about treatment).' },
    BREATHING: { description: 'Shortness of breath or low SpO2: urgent.' },
    MEDICINE: { description: 'A medicine package or a refill.' },
    FOOD: { description: 'Food or necessities while isolated.' },
    TRANSPORT: { description: 'Transport to a facility.' },
    OTHER: { description: 'Anything else (described in the message).' },
  },
});

export const HelpRequestStateEnum = builder.enumType('HelpRequestState', {
  description: 'Where a help request stands.',
  values: describedValues(HELP_REQUEST_STATES, {
    OPEN: 'Waiting for the ward station\'s first answer.',
    ESCALATED: 'Unanswered past the time limit: escalated to the district, still waiting for a first answer.',
    ACKNOWLEDGED: 'A health worker has answered; not yet closed.',
    CLOSED: 'Closed with an outcome.',
  }),
});

export const SupplyItemEnum = builder.enumType('SupplyItem', {
  description: 'Supplies kept in stock at stations and other facilities.',
  values: describedValues(SUPPLY_ITEMS, {
    MEDICINE_PACKAGE_A: 'Medicine package A (symptomatic treatment).',
    MEDICINE_PACKAGE_B: "Medicine package B (anti-inflammatory and anticoagulant, on a doctor's order).",
    MEDICINE_PACKAGE_C: "Medicine package C (molnupiravir, on a doctor's order).",
    RAPID_TEST_KIT: 'Rapid antigen test kits.',
    OXYGEN_CYLINDER: 'Oxygen cylinders.',
    OXYGEN_CONCENTRATOR: 'Oxygen concentrators (an "oxygen ATM" is a place holding them).',
  }),
});

export const StockMovementKindEnum = builder.enumType('StockMovementKind', {
  description: 'What changed a stock.',
  values: describedValues(MOVEMENT_KINDS, {
    RECEIVED: 'Received (procured by the ward or delivered).',
    DISPENSED: 'Given out (a medicine package to a patient).',
    ADJUSTED: 'Corrected after a recount, with the reason.',
  }),
});
