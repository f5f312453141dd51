(module
  (type (;0;) (func (param i32 i32 i32) (result i32)))
  (func $alu (type 0) (param i32 i32 i32) (result i32)
    (local i32)
    i32.const -559038737
    local.set 3
    block  ;; label = @1
      block  ;; label = @2
        block  ;; label = @3
          block  ;; label = @4
            block  ;; label = @5
              block  ;; label = @6
                block  ;; label = @7
                  block  ;; label = @8
                    block  ;; label = @9
                      block  ;; label = @10
                        block  ;; label = @11
                          block  ;; label = @12
                            block  ;; label = @13
                              block  ;; label = @14
                                block  ;; label = @15
                                  block  ;; label = @16
                                    block  ;; label = @17
                                      block  ;; label = @18
                                        block  ;; label = @19
                                          block  ;; label = @20
                                            block  ;; label = @21
                                              block  ;; label = @22
                                                block  ;; label = @23
                                                  block  ;; label = @24
                                                    block  ;; label = @25
                                                      block  ;; label = @26
                                                        block  ;; label = @27
                                                          block  ;; label = @28
                                                            block  ;; label = @29
                                                              block  ;; label = @30
                                                                local.get 0
                                                                br_table 0 (;@30;) 1 (;@29;) 2 (;@28;) 3 (;@27;) 4 (;@26;) 5 (;@25;) 6 (;@24;) 7 (;@23;) 8 (;@22;) 9 (;@21;) 10 (;@20;) 11 (;@19;) 12 (;@18;) 13 (;@17;) 14 (;@16;) 15 (;@15;) 16 (;@14;) 17 (;@13;) 18 (;@12;) 19 (;@11;) 20 (;@10;) 21 (;@9;) 22 (;@8;) 23 (;@7;) 24 (;@6;) 25 (;@5;) 26 (;@4;) 27 (;@3;) 28 (;@2;) 29 (;@1;)
                                                              end
                                                              local.get 2
                                                              local.get 1
                                                              i32.add
                                                              return
                                                            end
                                                            local.get 1
                                                            local.get 2
                                                            i32.sub
                                                            return
                                                          end
                                                          local.get 2
                                                          local.get 1
                                                          i32.mul
                                                          return
                                                        end
                                                        local.get 2
                                                        local.set 3
                                                        block  ;; label = @27
                                                          block  ;; label = @28
                                                            local.get 2
                                                            i32.const 1
                                                            i32.add
                                                            br_table 0 (;@28;) 27 (;@1;) 1 (;@27;)
                                                          end
                                                          i32.const 0
                                                          local.get 1
                                                          i32.sub
                                                          return
                                                        end
                                                        local.get 1
                                                        local.get 2
                                                        i32.div_s
                                                        return
                                                      end
                                                      block  ;; label = @26
                                                        local.get 2
                                                        br_if 0 (;@26;)
                                                        i32.const 0
                                                        return
                                                      end
                                                      local.get 1
                                                      local.get 2
                                                      i32.div_u
                                                      return
                                                    end
                                                    i32.const 0
                                                    local.set 3
                                                    local.get 2
                                                    i32.const 1
                                                    i32.add
                                                    i32.const 2
                                                    i32.lt_u
                                                    br_if 23 (;@1;)
                                                    local.get 1
                                                    local.get 2
                                                    i32.rem_s
                                                    return
                                                  end
                                                  block  ;; label = @24
                                                    local.get 2
                                                    br_if 0 (;@24;)
                                                    i32.const 0
                                                    return
                                                  end
                                                  local.get 1
                                                  local.get 2
                                                  i32.rem_u
                                                  return
                                                end
                                                local.get 2
                                                local.get 1
                                                i32.and
                                                return
                                              end
                                              local.get 2
                                              local.get 1
                                              i32.or
                                              return
                                            end
                                            local.get 1
                                            local.get 2
                                            i32.shl
                                            return
                                          end
                                          local.get 1
                                          local.get 2
                                          i32.shr_s
                                          return
                                        end
                                        local.get 1
                                        local.get 2
                                        i32.shr_u
                                        return
                                      end
                                      local.get 1
                                      local.get 2
                                      i32.rotl
                                      return
                                    end
                                    local.get 1
                                    local.get 2
                                    i32.rotr
                                    return
                                  end
                                  local.get 1
                                  i32.clz
                                  return
                                end
                                local.get 1
                                i32.ctz
                                return
                              end
                              local.get 1
                              i32.popcnt
                              return
                            end
                            local.get 1
                            i32.eqz
                            return
                          end
                          local.get 1
                          local.get 2
                          i32.eq
                          return
                        end
                        local.get 1
                        local.get 2
                        i32.ne
                        return
                      end
                      local.get 1
                      local.get 2
                      i32.lt_s
                      return
                    end
                    local.get 1
                    local.get 2
                    i32.lt_u
                    return
                  end
                  local.get 1
                  local.get 2
                  i32.gt_s
                  return
                end
                local.get 1
                local.get 2
                i32.gt_u
                return
              end
              local.get 1
              local.get 2
              i32.le_s
              return
            end
            local.get 1
            local.get 2
            i32.le_u
            return
          end
          local.get 1
          local.get 2
          i32.ge_s
          return
        end
        local.get 1
        local.get 2
        i32.ge_u
        return
      end
      local.get 2
      local.get 1
      i32.xor
      local.set 3
    end
    local.get 3)
  (memory (;0;) 2)
  (global $__stack_pointer (mut i32) (i32.const 66560))
  (export "memory" (memory 0))
  (export "alu" (func $alu)))
