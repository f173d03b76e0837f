import { Module } from '@nestjs/common';
import { JobLeasesRepository } from './job-leases.repository.js';
import { JobRunner } from './job-runner.service.js';

/** The background job runner; features register their jobs with it in onModuleInit. */
@Module({ providers: [JobLeasesRepository, JobRunner], exports: [JobRunner] })
export class JobsModule {}
