import { describe, expect, it } from '@jest/globals';
import { parse, validate } from 'graphql';
import { contractOperations, publicSchema } from '../support/contract.js';

/**
 * Operations of the contract that the supergraph cannot serve yet, with the issue that brings
 * them. The test fails if one of them starts validating (take it off the list) or if any other
 * operation stops validating.
 */
const PENDING: Record<string, string> = {

};

describe('the contract with the integration team', () => {
  const schema = publicSchema();
  const operations = contractOperations();

  it('has the operations we promised', () => {
    expect([...operations.keys()].sort()).toEqual(
      [
        'AdmitPatient', 'CapacityBoard', 'ChangeTier', 'CityOverview', 'DataEntryLag', 'DischargePatient',
        'DispenseMedicinePackage', 'DistrictSupplies', 'FindBed', 'HelpContacts', 'HelpRequestStatus',
        'LiveBeds', 'LiveStockAlerts', 'LiveTiers', 'OpenHomeVaccinations', 'OpenReferrals',
        'ReceiveStock', 'RecordDailyCheck', 'RecordDose', 'RegisterPatient', 'ReportDuty', 'RequestHelp',
        'SubmitDailyReport', 'TreatmentSnapshot', 'VaccinationSites',
      ].sort(),
    );
  });

  for (const [name, text] of contractOperations()) {
    if (PENDING[name]) {
      it(`${name} is still pending: ${PENDING[name]}`, () => {
        expect(validate(schema, parse(text)).length).toBeGreaterThan(0);
      });
    } else {
      it(`${name} validates against schema/supergraph.graphql`, () => {
        expect(validate(schema, parse(text)).map((e) => e.message)).toEqual([]);
      });
    }
  }
});
